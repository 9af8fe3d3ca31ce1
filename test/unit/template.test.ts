import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CFN_TAGS } from '../support/cfn-template.js';
import { sharedBuild } from '../support/shared-build.js';

/**
 * There is no SAM CLI here, so template.yaml is checked by parsing it (with CloudFormation's short-form
 * tags) and by building what `sam build` would build (the Makefile runs esbuild.config.mjs).
 */

const ROOT = resolve(import.meta.dirname, '../..');

let template: any;
let fn: any;

beforeAll(async () => {
  template = parse(await readFile(join(ROOT, 'template.yaml'), 'utf8'), { customTags: CFN_TAGS });
  fn = { ...template.Globals.Function, ...template.Resources.McpFunction.Properties };
}, 60_000);

describe('template.yaml', () => {
  it('is a SAM template for nodejs24.x on arm64, the runtime of every function in it', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(template.Resources.McpFunction.Type).toBe('AWS::Serverless::Function');
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    const functions = Object.entries(
      template.Resources as Record<string, { Type: string; Properties?: { Runtime?: string } }>,
    ).filter(([, resource]) => ['AWS::Serverless::Function', 'AWS::Lambda::Function'].includes(resource.Type));
    expect(functions.map(([name]) => name)).toEqual(['McpFunction', 'LocalApiFunction']);
    for (const [name, resource] of functions) {
      const runtime =
        resource.Properties?.Runtime ??
        (resource.Type === 'AWS::Serverless::Function' ? template.Globals.Function.Runtime : undefined);
      expect(runtime, name).toBe('nodejs24.x');
    }
  });

  it('passes cfn-lint with no error and no warning (cfn-lint template.yaml exits 0)', () => {
    const lint = spawnSync('cfn-lint', ['template.yaml'], { cwd: ROOT, encoding: 'utf8' });
    if (lint.error && (lint.error as NodeJS.ErrnoException).code === 'ENOENT') {
      expect.fail('cfn-lint is not installed (pip install cfn-lint): this test needs it, as CI does');
    }
    expect(lint.error).toBeUndefined();
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
    expect(lint.status).toBe(0);
  }, 120_000);

  it('points its handler at what the build produces, through the Makefile that runs esbuild.config.mjs', async () => {
    expect(template.Resources.McpFunction.Metadata.BuildMethod).toBe('makefile');
    const makefile = await readFile(join(ROOT, 'Makefile'), 'utf8');
    expect(makefile).toMatch(/^build-McpFunction\b.*:/m);
    expect(makefile).toMatch(/build-LocalApiFunction/);
    expect(makefile).toContain('node esbuild.config.mjs "$(ARTIFACTS_DIR)"');

    // The run's one build of the Lambda bundle (buildLambda with its defaults, into a folder of the run's own).
    const outdir = (await sharedBuild()).dist;
    const [file, exportName] = (fn.Handler as string).split('.') as [string, string];
    expect(await readdir(outdir)).toContain(`${file}.mjs`);
    const module = await import(pathToFileURL(join(outdir, `${file}.mjs`)).href);
    expect(typeof module[exportName]).toBe('function');
  });

  it('exposes a Function URL without IAM auth, buffered, with CORS left to the handler', () => {
    expect(fn.FunctionUrlConfig.AuthType).toBe('NONE');
    expect(fn.FunctionUrlConfig.InvokeMode).toBe('BUFFERED');
    expect(fn.FunctionUrlConfig.Cors).toBeUndefined();
    expect(template.Outputs.McpEndpoint.Value).toEqual({ 'Fn::Sub': '${McpFunctionUrl.FunctionUrl}mcp' });
  });

  it('keeps audio in an encrypted, private, owner-enforced bucket that refuses plain HTTP and expires objects', () => {
    const bucket = template.Resources.AudioBucket.Properties;
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls.Rules[0].ObjectOwnership).toBe('BucketOwnerEnforced');
    const expire = bucket.LifecycleConfiguration.Rules.find((rule: { Id: string }) => rule.Id === 'ExpireAudio');
    expect(expire).toMatchObject({
      Status: 'Enabled',
      Prefix: 'audio/',
      ExpirationInDays: { Ref: 'AudioRetentionDays' },
    });

    const [deny] = template.Resources.AudioBucketPolicy.Properties.PolicyDocument.Statement;
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('grants only what the code does: audio/ and oauth/ objects, reading its own sealing secret', () => {
    const statements = fn.Policies.flatMap((policy: { Statement: unknown[] }) => policy.Statement);
    expect(statements).toEqual([
      {
        Sid: 'AudioObjects',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        Resource: { 'Fn::Sub': '${AudioBucket.Arn}/audio/*' },
      },
      {
        Sid: 'OAuthRedemptions',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: { 'Fn::Sub': '${AudioBucket.Arn}/oauth/*' },
      },
      {
        Sid: 'TokenSealingSecret',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: 'TokenSealingSecret' },
      },
      {
        Sid: 'ListAudio',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': ['AudioBucket', 'Arn'] },
        Condition: { StringLike: { 's3:prefix': 'audio/*' } },
      },
    ]);
  });

  it(
    'generates the OAuth sealing secret in Secrets Manager, hands the function its ARN, and expires redemption ' +
      'records',
    () => {
      const secret = template.Resources.TokenSealingSecret;
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      expect(secret.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'secret', PasswordLength: 64 });
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(fn.Environment.Variables.OAUTH_SECRET_ARN).toEqual({ Ref: 'TokenSealingSecret' });
      expect(fn.Environment.Variables.OAUTH).toEqual({ Ref: 'OAuth' });
      const rules = template.Resources.AudioBucket.Properties.LifecycleConfiguration.Rules;
      const redemptions = rules.find((rule: { Id: string }) => rule.Id === 'ExpireOAuthRedemptions');
      expect(redemptions).toMatchObject({ Status: 'Enabled', Prefix: 'oauth/' });
      // Longer than the longest refresh token may live.
      expect(redemptions.ExpirationInDays * 86400).toBeGreaterThan(template.Parameters.RefreshTokenTtlSeconds.MaxValue);
    },
  );

  it('has parameters for memory, timeout, log retention, URL lifetime, concurrency, allowed origins', () => {
    for (const name of [
      'MemorySize',
      'Timeout',
      'LogRetentionDays',
      'AudioUrlTtlSeconds',
      'ReservedConcurrency',
      'AllowedOrigins',
      'AudioRetentionDays',
    ]) {
      expect(template.Parameters[name], name).toBeDefined();
    }
    expect(fn.MemorySize).toEqual({ Ref: 'MemorySize' });
    expect(fn.Timeout).toEqual({ Ref: 'Timeout' });
    expect(template.Resources.McpFunctionLogGroup.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    expect(fn.LoggingConfig.LogGroup).toEqual({ Ref: 'McpFunctionLogGroup' });
    expect(fn.ReservedConcurrentExecutions).toEqual({
      'Fn::If': ['HasReservedConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }],
    });
  });

  it('sets only environment variables the configuration knows, and never an ElevenLabs key', async () => {
    const variables = Object.keys(fn.Environment.Variables);
    const config = await readFile(join(ROOT, 'src/config.ts'), 'utf8');
    for (const name of variables) expect(config, name).toContain(`${name}:`);
    expect(variables).not.toContain('ELEVENLABS_API_KEY');
    expect(fn.Environment.Variables.AUDIO_BUCKET).toEqual({ Ref: 'AudioBucket' });
  });

  it(
    'serves /mcp and /health to sam local start-api through a twin and its API that only exist when ' +
      'LocalHttpApi=true',
    async () => {
      expect(template.Conditions.ServeLocalHttpApi).toEqual({ 'Fn::Equals': [{ Ref: 'LocalHttpApi' }, 'true'] });
      expect(template.Parameters.LocalHttpApi.Default).toBe('false');
      const local = Object.entries(template.Resources as Record<string, { Condition?: string }>).filter(([name]) =>
        name.startsWith('Local'),
      );
      expect(local.map(([name]) => name).sort()).toEqual([
        'LocalApiFunction',
        'LocalHttpApiGateway',
        'LocalHttpApiPermission',
      ]);
      for (const [name, resource] of local) expect(resource.Condition, name).toBe('ServeLocalHttpApi');

      // The routes are the API's own (no HttpApi events, which SAM would wrap in an unreachable Fn::If).
      expect(template.Resources.LocalApiFunction.Properties.Events).toBeUndefined();
      const api = template.Resources.LocalHttpApiGateway;
      expect(api.Type).toBe('AWS::Serverless::HttpApi');
      const paths = api.Properties.DefinitionBody.paths as Record<
        string,
        Record<string, { 'x-amazon-apigateway-integration': any }>
      >;
      expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/mcp', '/health', '/{proxy+}']));
      for (const [path, item] of Object.entries(paths)) {
        const integration = item['x-amazon-apigateway-any-method']?.['x-amazon-apigateway-integration'];
        expect(integration, path).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST', payloadFormatVersion: '2.0' });
        expect(integration.uri['Fn::Sub'], path).toContain('/functions/${LocalApiFunction.Arn}/invocations');
      }
      expect(template.Resources.LocalHttpApiPermission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: 'LocalApiFunction' },
        Principal: 'apigateway.amazonaws.com',
      });

      const samconfig = await readFile(join(ROOT, 'samconfig.toml'), 'utf8');
      expect(samconfig).toMatch(
        /\[default\.local_start_api\.parameters\][^[]*parameter_overrides = "LocalHttpApi=true"/,
      );
      expect(samconfig).toMatch(/\[default\.local_invoke\.parameters\][^[]*parameter_overrides = "LocalHttpApi=true"/);
      expect(samconfig).toMatch(/\[default\.deploy\.parameters\][^[]*parameter_overrides = "LocalHttpApi=false"/);
      expect(samconfig).toMatch(/\[default\.deploy\.parameters\][^[]*capabilities = "CAPABILITY_IAM"/);
    },
  );

  it(
    'declares, on each function, every variable events/sam-local-env.json sets for it (sam local overrides only ' +
      'declared ones)',
    async () => {
      const samconfig = await readFile(join(ROOT, 'samconfig.toml'), 'utf8');
      for (const command of ['local_start_api', 'local_invoke']) {
        expect(samconfig, command).toMatch(
          new RegExp(`\\[default\\.${command}\\.parameters\\][^[]*env_vars = "events/sam-local-env.json"`),
        );
      }
      // As `sam local --env-vars` reads the file: "Parameters" applies to every function, an object named by a
      // function's logical ID to that function alone.
      const env = JSON.parse(await readFile(join(ROOT, 'events/sam-local-env.json'), 'utf8')) as Record<
        string,
        Record<string, string>
      >;
      const functions = Object.keys(template.Resources).filter(
        (name) => template.Resources[name].Type === 'AWS::Serverless::Function',
      );
      const declared = (name: string) =>
        Object.keys({
          ...template.Globals.Function.Environment.Variables,
          ...template.Resources[name].Properties.Environment?.Variables,
        });
      for (const key of Object.keys(env))
        expect([...functions, 'Parameters'], `${key} in sam-local-env.json`).toContain(key);
      for (const name of functions) {
        const set = Object.keys({ ...env.Parameters, ...env[name] });
        expect(set.length, name).toBeGreaterThan(0);
        expect(declared(name), `variables sam-local-env.json sets for ${name}`).toEqual(expect.arrayContaining(set));
      }
      // The local S3 is reached by the twin only: the deployed function never gets an S3 endpoint, credentials or
      // the local bucket, neither from the template nor from the env file.
      expect(env.LocalApiFunction).toMatchObject({
        AUDIO_BUCKET: 'elevenlabs-mcp-local',
        AWS_ENDPOINT_URL_S3: expect.stringMatching(/^http:\/\/[^/]+:4569$/),
      });
      for (const name of [
        'AWS_ENDPOINT_URL_S3',
        'AWS_ENDPOINT_URL',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
      ]) {
        expect(declared('McpFunction'), name).not.toContain(name);
        expect(Object.keys({ ...env.Parameters, ...env.McpFunction }), name).not.toContain(name);
      }
      expect(Object.keys({ ...env.Parameters, ...env.McpFunction })).not.toContain('AUDIO_BUCKET');
    },
  );

  it('ships events for sam local invoke -e in the Function URL payload 2.0 shape', async () => {
    for (const name of ['initialize', 'tools-list', 'text-to-speech', 'missing-key', 'get']) {
      const event = JSON.parse(await readFile(join(ROOT, 'events', `${name}.json`), 'utf8'));
      expect(event, name).toMatchObject({
        version: '2.0',
        routeKey: '$default',
        requestContext: { http: { method: expect.any(String) } },
      });
    }
  });
});
