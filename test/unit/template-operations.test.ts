import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '../../src/metrics.js';
import { readTemplate } from '../support/cfn-template.js';

/**
 * The operations part of template.yaml: alarms to an SNS topic (with an optional email subscription) and
 * a dashboard, over Lambda's own metrics and the EMF metrics src/metrics.ts writes.
 */

let template: any;
let resources: Record<string, any>;
beforeAll(async () => {
  template = await readTemplate();
  resources = template.Resources;
});

const ALARMS = [
  'FunctionErrorsAlarm',
  'FunctionThrottlesAlarm',
  'DurationNearTimeoutAlarm',
  'UpstreamErrorRateAlarm',
  'RejectedKeysAlarm',
];
const OUR_METRICS = new Set<string>(Object.values(METRIC));

/** Every metric an alarm reads: [namespace, name, dimensions]. */
function alarmMetrics(alarm: any): Array<{ namespace: string; name: string; dimensions: any[] }> {
  const p = alarm.Properties;
  if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: p.Dimensions }];
  return (p.Metrics as any[])
    .filter((m) => m.MetricStat)
    .map((m) => ({
      namespace: m.MetricStat.Metric.Namespace,
      name: m.MetricStat.Metric.MetricName,
      dimensions: m.MetricStat.Metric.Dimensions,
    }));
}

describe('template.yaml: operations', () => {
  it('has an optional AlarmEmail whose subscription exists only when it is set', () => {
    expect(template.Parameters.AlarmEmail).toMatchObject({ Type: 'String', Default: '' });
    const pattern = new RegExp(template.Parameters.AlarmEmail.AllowedPattern);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('ops@example.com')).toBe(true);
    expect(pattern.test('not an address')).toBe(false);
    expect(template.Conditions.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] });
    expect(resources.AlarmTopic.Type).toBe('AWS::SNS::Topic');
    expect(resources.AlarmEmailSubscription).toMatchObject({
      Type: 'AWS::SNS::Subscription',
      Condition: 'HasAlarmEmail',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } },
    });
    expect(template.Outputs.AlarmTopicArn.Value).toEqual({ Ref: 'AlarmTopic' });
  });

  it(
    'alarms on function errors, throttles, duration near the timeout, the upstream fault rate and rejected keys, to ' +
      'the topic',
    () => {
      for (const name of ALARMS) {
        expect(resources[name]?.Type, name).toBe('AWS::CloudWatch::Alarm');
        expect(resources[name].Properties.AlarmActions, name).toEqual([{ Ref: 'AlarmTopic' }]);
        expect(resources[name].Properties.TreatMissingData, name).toBe('notBreaching');
      }
      expect(alarmMetrics(resources.FunctionErrorsAlarm)).toEqual([
        {
          namespace: 'AWS/Lambda',
          name: 'Errors',
          dimensions: [{ Name: 'FunctionName', Value: { Ref: 'McpFunction' } }],
        },
      ]);
      expect(alarmMetrics(resources.FunctionThrottlesAlarm)[0]).toMatchObject({
        namespace: 'AWS/Lambda',
        name: 'Throttles',
      });
      expect(alarmMetrics(resources.DurationNearTimeoutAlarm)[0]).toMatchObject({
        namespace: 'AWS/Lambda',
        name: 'Duration',
      });
      expect(alarmMetrics(resources.UpstreamErrorRateAlarm).map((m) => m.name)).toEqual([
        METRIC.upstreamFaults,
        METRIC.upstreamFaults,
      ]);
      expect(alarmMetrics(resources.RejectedKeysAlarm)[0]!.name).toBe(METRIC.rejectedKeys);
    },
  );

  it('measures the duration against the Timeout parameter: 90% of it, in percent', () => {
    const metrics = resources.DurationNearTimeoutAlarm.Properties.Metrics as any[];
    const expression = metrics.find((m) => m.Expression)!;
    expect(expression.ReturnData).toBe(true);
    const stat = metrics.find((m) => m.MetricStat)!;
    expect(stat.MetricStat.Stat).toBe('Maximum');
    // duration (ms) / (Timeout (s) * 10) is the percentage of the timeout: 270 s of 300 s is 90.
    const evaluate = (durationMs: number, timeout: number): number =>
      Function(
        'duration',
        `return ${expression.Expression['Fn::Sub'].replace('${Timeout}', String(timeout))}`,
      )(durationMs);
    expect(evaluate(270_000, 300)).toBeCloseTo(90);
    expect(resources.DurationNearTimeoutAlarm.Properties.Threshold).toBe(90);
  });

  it('reads the EMF metrics with the namespace and the one dimension set src/metrics.ts writes for alarms', () => {
    for (const name of ['UpstreamErrorRateAlarm', 'RejectedKeysAlarm']) {
      for (const metric of alarmMetrics(resources[name])) {
        expect(metric.namespace).toBe(METRICS_NAMESPACE);
        expect(OUR_METRICS.has(metric.name)).toBe(true);
        // `service` is the function's name in Lambda (AWS_LAMBDA_FUNCTION_NAME).
        expect(metric.dimensions).toEqual([{ Name: 'service', Value: { Ref: 'McpFunction' } }]);
      }
    }
  });

  it('has a dashboard whose body is JSON naming only metrics the code writes, and every alarm', () => {
    const dashboard = resources.OperationsDashboard;
    expect(dashboard.Type).toBe('AWS::CloudWatch::Dashboard');
    const body: string = dashboard.Properties.DashboardBody['Fn::Sub'];
    const substitutions: Record<string, string> = { 'AWS::Region': 'us-east-1', McpFunction: 'fn', Timeout: '300' };
    const json = body.replace(/\$\{([^}]+)\}/g, (_, name: string) => substitutions[name] ?? `arn:${name}`);
    const parsed = JSON.parse(json) as { widgets: Array<{ type: string; properties: any }> };
    expect(parsed.widgets.length).toBeGreaterThan(5);

    const alarmWidget = parsed.widgets.find((w) => w.type === 'alarm')!;
    expect(alarmWidget.properties.alarms).toEqual(ALARMS.map((name) => `arn:${name}.Arn`));

    const named = new Set<string>();
    for (const widget of parsed.widgets.filter((w) => w.type === 'metric')) {
      for (const row of widget.properties.metrics as unknown[][]) {
        if (row[0] === METRICS_NAMESPACE) named.add(row[1] as string);
        const query = (
          row.find((cell) => typeof cell === 'object' && cell !== null && 'expression' in cell) as
            | { expression?: string }
            | undefined
        )?.expression;
        if (query) {
          expect(query).toContain(`FROM SCHEMA(${METRICS_NAMESPACE}, outcome, service, tool)`);
          named.add(/SELECT SUM\((\w+)\)/.exec(query)![1]!);
        }
      }
    }
    for (const name of named) expect(OUR_METRICS.has(name), name).toBe(true);
    // Each figure the issue asks for is on it.
    for (const name of [
      METRIC.requests,
      METRIC.upstreamLatency,
      METRIC.upstreamErrors,
      METRIC.charactersBilled,
      METRIC.bytesStored,
      METRIC.rejectedKeys,
    ]) {
      expect(named.has(name), name).toBe(true);
    }
  });
});
