export * from "./manifests";
export * from "./naming";
export * from "./tenant";
export * from "./vault-policy";
export * from "./vcluster-values";
