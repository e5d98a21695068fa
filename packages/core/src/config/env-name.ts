/**
 * Kubernetes' rule for an environment variable's name (`IsEnvVarName` in
 * k8s.io/apimachinery/pkg/util/validation): a Nuclio function that deploys on Kubernetes
 * deploys here too, and a name with a space, `=` or a control character is refused.
 */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The rule in words, for problem messages. */
export const ENV_NAME_RULE = 'letters, digits, "_", "-" and ".", not starting with a digit (Kubernetes\' rule)';

/** True when `name` may name an environment variable in `spec.env`. */
export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}
