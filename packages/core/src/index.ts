export { ErrorCodes, NucleonError, createError, isNucleonError, formatProblems } from './errors.js';
export type { ErrorCode, ConfigProblem, ErrorDetails } from './errors.js';
export type { Event, EventBatch, EventHeaders, TriggerInfo } from './event.js';
export { Response, isResponse } from './response.js';
export { normalizeResult } from './result-normalizer.js';
export type { NormalizedResponse } from './result-normalizer.js';
export type { ResponseInit, ResponseHeaders } from './response.js';
export type {
  Context, HandlerResult, ContextPlatform, CallFunctionEvent, CallFunctionOptions, CallFunctionResponse,
} from './context.js';
export {
  FUNCTION_ADDRESSES_ENV, PLATFORM_NAME_ENV, readFunctionAddress, removeFunctionAddress, writeFunctionAddress,
} from './function-addresses.js';
export { FUNCTION_NAME_RULE, assertFunctionName, isFunctionName } from './function-name.js';
export type { FunctionAddress } from './function-addresses.js';
export type { Logger, LogFields, LogLevel } from './logger.js';
export { defineTrigger, defineRuntime, definePlatform } from './plugin.js';
export type {
  PluginKind, PluginBase, Plugin, AttributeSpec, AttributeSchema,
  EventSubmitter, EventCallback, Trigger, TriggerPlugin, TriggerCreateOptions,
  Runtime, RuntimeWorker, RuntimePlugin, RuntimeCreateOptions,
  Platform, PlatformPlugin, PlatformCreateOptions, FunctionStatus, TriggerAddress, DeployRequest, DeleteOptions, LogsOptions,
  ScaleOptions, Backlog, BacklogProbeOptions,
} from './plugin.js';
export type {
  FunctionConfig, FunctionMetadata, FunctionSpec, TriggerConfig, EnvVar, Resources, ResourceList,
  BuildSpec, ScaleToZeroSpec, KubernetesSpecFields, FunctionVolume, ServiceType, ImagePullPolicy, PreemptionPolicy,
} from './config/types.js';
export {
  DEFAULT_TARGET_CPU, IMAGE_PULL_POLICIES, KUBERNETES_SPEC_FIELDS, PREEMPTION_POLICIES, SERVICE_TYPES, kubernetesOnlyPaths,
} from './config/kubernetes-fields.js';
export { functionSpecSchema } from './config/spec-schema.js';
export {
  DEFAULT_SCALE_WINDOW, EVENTS_METRIC, HTTP_REUSE_PORT_ENV, scaleToZeroPolicy,
} from './config/scale-to-zero.js';
export type { ScaleResource, ScaleToZeroPolicy } from './config/scale-to-zero.js';
export type { JsonSchema } from './config/spec-schema.js';
export type { BatchConfig } from './config/batch.js';
export { validateFunctionConfig } from './config/validate.js';
export type { ValidateOptions, ValidatedConfig } from './config/validate.js';
export { validateAttributes } from './config/attributes.js';
export type { ValidatedAttributes } from './config/attributes.js';
export { parseFunctionConfigText } from './config/parse.js';
export type { ParseOptions } from './config/parse.js';
export { DEFAULT_MAX_CONFIG_BYTES, MAX_CONFIG_BYTES_ENV, maxConfigBytes } from './config/config-limits.js';
export { isInside, readFunctionFile, resolveInsideFunction } from './config/read-function-file.js';
export type { ReadFunctionFileOptions } from './config/read-function-file.js';
export { isEnvName } from './config/env-name.js';
export { parseDuration } from './config/duration.js';
export { isCpuQuantity, isMemoryQuantity, memoryBytes, cpuCores } from './config/quantity.js';
export { deliveryAttributeProblems, deliveryAttributes, readDeliveryAttributes } from './delivery/attributes.js';
export type { DeliveryOptions, ExplicitAckMode, OnExhausted } from './delivery/attributes.js';
export { DeliveryPolicy, createDeliveryPolicy } from './delivery/policy.js';
export type {
  DeliveryAttempt, DeliveryHooks, DeliveryOutcome, DeliveryPolicyOptions, DeliveryStatus, ExplicitAck,
} from './delivery/policy.js';
export { DeadLetterHeaders, DEAD_LETTER_ERROR_MAX_CHARS, createDeadLetter, encodeDeadLetter } from './delivery/dead-letter.js';
export type { DeadLetter, DeadLetterSource, EncodedDeadLetter } from './delivery/dead-letter.js';
export { CORE_VERSION } from './version.js';

/** Handler signature, for typing user code: `export const handler: Handler = async (context, event) => ...`. */
export type Handler = (context: import('./context.js').Context, event: import('./event.js').Event) => unknown;
/** initContext signature. */
export type InitContext = (context: import('./context.js').Context) => unknown;
export { findFreePort, hasHttpTrigger, needsDefaultHttpTrigger, probeAddresses, probeReady, sleep } from './platform-support.js';
export { findProcessorFailure } from './processor-failure.js';
export type { ProcessorFailure } from './processor-failure.js';
export { AttemptRunner, dispatcherOf } from './delivery/attempt-runner.js';
