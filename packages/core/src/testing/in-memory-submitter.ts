import type { Context } from '../context.js';
import type { Event } from '../event.js';
import type { EventSubmitter } from '../plugin.js';
import { Response } from '../response.js';
import { normalizeResult, type NormalizedResponse } from '../result-normalizer.js';
import { createError, ErrorCodes } from '../errors.js';
import { noopLogger } from './in-memory-logger.js';
import { noPlatform } from './no-platform.js';

export type TestHandler = (context: Context, event: Event) => unknown;

/**
 * An EventSubmitter that runs `handler` directly and records every submitted event, for
 * unit-testing a trigger without a processor. Results are normalised and handler
 * errors reject with HANDLER_FAILED, as the processor's pool does.
 */
export class InMemorySubmitter implements EventSubmitter {
  readonly events: Event[] = [];
  private readonly context: Context;

  constructor(private readonly handler: TestHandler = () => '') {
    this.context = {
      logger: noopLogger, userData: {}, Response, callback() {}, workerId: 0,
      functionName: 'test', triggerName: 'test', platform: noPlatform,
    };
  }

  async submit(event: Event): Promise<NormalizedResponse> {
    this.events.push(event);
    let result: unknown;
    try {
      result = await this.handler(this.context, event);
    } catch (err) {
      throw createError(ErrorCodes.HANDLER_FAILED, 'handler failed', { cause: err });
    }
    // Normalised as the processor's pool does, so a trigger sees exactly what it would in production.
    return normalizeResult(result);
  }
}
