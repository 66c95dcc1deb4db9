export * from './auth';
export * from './sync';
export * from './domain';
export * from './merge';
export * from './ops';
