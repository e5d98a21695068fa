import type { Context } from '../context.js';
import type { Event } from '../event.js';
import type { EventSubmitter } from '../plugin.js';
import { Response, isResponse } from '../response.js';
import { createError, ErrorCodes } from '../errors.js';
import { noopLogger } from './in-memory-logger.js';

export type TestHandler = (context: Context, event: Event) => unknown;

/**
 * An EventSubmitter that runs `handler` directly and records every submitted event, for
 * unit-testing a trigger without a processor. Handler errors reject with HANDLER_FAILED,
 * as the processor's pool does.
 */
export class InMemorySubmitter implements EventSubmitter {
  readonly events: Event[] = [];
  private readonly context: Context;

  constructor(private readonly handler: TestHandler = () => '') {
    this.context = {
      logger: noopLogger, userData: {}, Response, callback() {}, workerId: 0,
      functionName: 'test', triggerName: 'test',
    };
  }

  async submit(event: Event): Promise<Response> {
    this.events.push(event);
    try {
      const result = await this.handler(this.context, event);
      return isResponse(result) ? result : new Response(result as string);
    } catch (err) {
      throw createError(ErrorCodes.HANDLER_FAILED, 'handler failed', { cause: err });
    }
  }
}
