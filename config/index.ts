export * from './bookinfo';
export * from './schema';
export * from './environments';
export * from './load';
export * from './mesh-profiles';
export * from './network';
export * from './policy-waivers';
export * from './state';
