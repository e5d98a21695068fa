import type { Logger, Platform } from '@nucleon/core';
import type { DeployTracker } from './deploy-tracker.js';
import type { ProjectStore } from './project-store.js';

/** What every route module is given. */
export interface RouteDeps {
  platform: Platform;
  platformName: string;
  stateDir: string;
  authDisabled: boolean;
  tracker: DeployTracker;
  projects: ProjectStore;
  logger?: Logger;
}
