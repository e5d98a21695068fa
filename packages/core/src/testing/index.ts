export { InMemoryLogger, noopLogger } from './in-memory-logger.js';
export type { LogRecord } from './in-memory-logger.js';
export { InMemorySubmitter } from './in-memory-submitter.js';
export type { TestHandler } from './in-memory-submitter.js';
export { InMemoryPlatform } from './in-memory-platform.js';
export { createTestEvent } from './test-event.js';
export { noPlatform } from './no-platform.js';
export { schemaProblems, structuralSchemaProblems } from './schema-check.js';
