import { parseConfig } from '../../common/config';
import { workerCapacity } from '../../worker/worker';

describe('worker capacity (sticky cache and task slots)', () => {
  it('bounds the cache by default instead of letting the SDK size it from the heap', () => {
    expect(workerCapacity(parseConfig({}))).toEqual({
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 100,
      maxConcurrentLocalActivityExecutions: 100,
    });
  });

  it('passes the configured sizes to the worker', () => {
    const config = parseConfig({
      WORKER_MAX_CACHED_WORKFLOWS: '1000',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '30',
    });
    expect(workerCapacity(config)).toEqual({
      maxCachedWorkflows: 1000,
      maxConcurrentWorkflowTaskExecutions: 20,
      maxConcurrentActivityTaskExecutions: 50,
      maxConcurrentLocalActivityExecutions: 30,
    });
  });

  it('keeps the workflow task slots within a small cache unless told otherwise', () => {
    expect(workerCapacity(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '8' })).maxConcurrentWorkflowTaskExecutions).toBe(8);
    expect(workerCapacity(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '2' })).maxConcurrentWorkflowTaskExecutions).toBe(2);
  });

  it('turns the cache off with 0, keeping the SDK default slots', () => {
    const capacity = workerCapacity(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '' }));
    expect(capacity).toMatchObject({ maxCachedWorkflows: 0, maxConcurrentWorkflowTaskExecutions: 40 });
    expect(workerCapacity(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '200' })).maxConcurrentWorkflowTaskExecutions).toBe(200);
  });

  it.each([
    ['WORKER_MAX_CACHED_WORKFLOWS', { WORKER_MAX_CACHED_WORKFLOWS: '1' }, /must be 0 \(no cache\) or at least 2/],
    ['WORKER_MAX_CACHED_WORKFLOWS', { WORKER_MAX_CACHED_WORKFLOWS: '-5' }, /./],
    ['WORKER_MAX_CACHED_WORKFLOWS', { WORKER_MAX_CACHED_WORKFLOWS: '2.5' }, /./],
    ['WORKER_MAX_CACHED_WORKFLOWS', { WORKER_MAX_CACHED_WORKFLOWS: 'lots' }, /./],
    ['WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, /./],
    ['WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', { WORKER_MAX_CACHED_WORKFLOWS: '10', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '11' }, /must not exceed WORKER_MAX_CACHED_WORKFLOWS/],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', { WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, /./],
    ['WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES', { WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: 'many' }, /./],
  ])('stops on a bad %s with a message naming it', (name, env, message) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: ${message.source}`));
  });
});
