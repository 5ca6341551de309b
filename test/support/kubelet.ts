/**
 * The kubelet's last check before it starts a container whose pod or container sets runAsNonRoot, written
 * out from verifyRunAsNonRoot (k8s.io/kubernetes v1.36.5, pkg/kubelet/kuberuntime/security_context_others.go).
 * Nothing validates this at create time: a pod that fails it is accepted by the API server and then sits in
 * CreateContainerConfigError, which is how "no pod would start" went unnoticed.
 *
 * `imageUser` is the image's USER as the Dockerfile sets it ("65532:65532", "nonroot", or "" for none).
 * Returns the kubelet's refusal, or undefined when the container would start.
 */
export function runAsNonRootRefusal(pod: any, container: any, imageUser: string): string | undefined {
  // DetermineEffectiveSecurityContext: a container's own setting wins over the pod's.
  const runAsNonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  const runAsUser = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  if (runAsNonRoot !== true) return undefined;
  if (runAsUser !== undefined) {
    return runAsUser === 0 ? `container's runAsUser breaks non-root policy (container: ${container.name})` : undefined;
  }
  // The runtime reports the image's user as a uid when it is numeric, else as a name; no USER at all is uid 0.
  const user = imageUser.split(':')[0] || '0';
  if (!/^\d+$/.test(user)) {
    return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (container: ${container.name})`;
  }
  const uid = Number(user);
  if (uid === 0) return `container has runAsNonRoot and image will run as root (container: ${container.name})`;
  if (uid > 2 ** 31 - 1) return `container has runAsNonRoot and image has an invalid user id (${uid}) (container: ${container.name})`;
  return undefined;
}
