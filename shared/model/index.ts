/** The incident model and the pure clocks the console derives from it: each a function of (incident, now). */
export * from './incident';
export * from './milestone-times';
export * from './incident-clock';
export * from './phase-window';
export * from './validation-timers';
export * from './update-cadence';
export * from './recovery-objectives';
export * from './regulatory-clock';
export * from './response-times';
export * from './review-metrics';
