/** The baseline worker's workflows: the registration alone (workflow.ts) and the whole journey (journey-workflow.ts). */
export { baselineRegistration } from './workflow';
export { baselineOnboarding } from './journey-workflow';
