/**
 * The workflow tracing interceptors name the trace header themselves so that an untraced execution never loads
 * OpenTelemetry (workflows/tracing-interceptors.ts). These tests hold that name to the package's, and show that the
 * bundle keeps OpenTelemetry out of an execution's way until a traced call needs it.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACE_HEADER as PACKAGE_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { TRACE_HEADER } from '../../workflows/tracing-interceptors';
import { TRACING_WORKFLOW_MODULE } from '../../worker/tracing';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('workflow tracing interceptors', () => {
  it('look for the same trace header the OpenTelemetry interceptors write', () => {
    expect(TRACE_HEADER).toBe(PACKAGE_TRACE_HEADER);
  });

  it('require OpenTelemetry only inside the loader, never when the interceptors module is evaluated', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules: [TRACING_WORKFLOW_MODULE],
      logger: quiet,
    });
    const start = code.indexOf('"./workflows/tracing-interceptors.ts"');
    expect(start).toBeGreaterThan(-1);
    const moduleSource = code.slice(start, code.indexOf('\n/***/ "', start + 1));
    // The module's top level declares the loader; every OpenTelemetry require sits inside `load`.
    const topLevelRequires = moduleSource.split('const load = ')[0].match(/__webpack_require__\([^)]*opentelemetry[^)]*\)/g) ?? [];
    expect(topLevelRequires).toEqual([]);
    expect(moduleSource).toMatch(/const load = [\s\S]*__webpack_require__\([^)]*interceptors-opentelemetry\/lib\/workflow/);
  }, 60_000);
});
