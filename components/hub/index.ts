// The hub add-ons, one component per file; this file only re-exports.
export { ArgoCd } from "./argocd";
export { CertManager } from "./cert-manager";
export { ExternalSecrets } from "./external-secrets";
export { Kyverno } from "./kyverno";
export { VaultConfig } from "./vault-config";
export { VaultServer } from "./vault-server";
