export * from './argocd';
export * from './bookinfo';
export * from './schema';
export * from './environments';
export * from './load';
export * from './mesh-profiles';
