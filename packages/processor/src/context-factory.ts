import { Response, type Context, type ContextPlatform, type Logger } from '@nucleon/core';

/** Builds the context one worker keeps for its life; the runtime may replace `callback`. */
export function createWorkerContext(options: {
  logger: Logger; functionName: string; triggerName: string; workerId: number; platform: ContextPlatform;
}): Context {
  return {
    logger: options.logger.child({ trigger: options.triggerName, worker: options.workerId }),
    userData: {},
    Response,
    callback() {},
    workerId: options.workerId,
    functionName: options.functionName,
    triggerName: options.triggerName,
    platform: options.platform,
  };
}
