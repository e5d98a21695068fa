// The shapes of the API replies the UI reads (see the dashboard's API contract).
export interface FunctionSpec {
  runtime: string;
  handler: string;
  description?: string;
  build?: { functionSourceCode?: string };
  triggers?: Record<string, { kind: string; maxWorkers?: number; attributes?: Record<string, unknown> }>;
  env?: { name: string; value: string }[];
  resources?: { limits?: { cpu?: string; memory?: string }; requests?: { cpu?: string; memory?: string } };
  [key: string]: unknown;
}
export interface FunctionStatus {
  state: string;
  url?: string;
  httpPort?: number;
  message?: string;
  deploy?: { state: 'running' | 'succeeded' | 'failed'; startedAt: string; error?: string };
}
export interface FunctionView {
  metadata: { name: string; labels?: Record<string, string> };
  spec: FunctionSpec;
  status: FunctionStatus;
}
export interface Template {
  name: string;
  description: string;
  runtime: string;
  configuration: { metadata: { name: string }; spec: FunctionSpec };
}
export interface Metrics {
  at: string;
  invocations: number;
  errors: number;
  inFlight: number;
  latency: { count: number; sumSeconds: number; p50Seconds?: number; p99Seconds?: number };
}
export const PROJECT_LABEL = 'nuclio.io/project-name';
