import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_BASE_URL, parseConfig, RESIDENCY_BASE_URLS } from '../../src/config.js';

describe('parseConfig', () => {
  it('has working defaults for an empty environment', () => {
    expect(parseConfig({})).toEqual({
      port: 3000,
      elevenLabsBaseUrl: DEFAULT_BASE_URL,
      defaultVoiceId: 'cgSgspJ2msm6clMCkdW9',
      audioBucket: undefined,
      awsRegion: 'us-east-1',
      s3Endpoint: undefined,
      audioUrlTtlSeconds: 3600,
      allowedOrigins: [],
      enabledTools: [],
      logLevel: 'info',
      oauth: {
        enabled: true,
        accessTokenTtlSeconds: 3600,
        refreshTokenTtlSeconds: 2592000,
        publicBaseUrl: undefined,
        secretArn: undefined,
        secretFile: undefined,
      },
    });
  });

  it('reads the OAuth settings', () => {
    const config = parseConfig({
      OAUTH: 'off',
      OAUTH_ACCESS_TOKEN_TTL_SECONDS: '600',
      OAUTH_REFRESH_TOKEN_TTL_SECONDS: '86400',
      PUBLIC_BASE_URL: 'https://mcp.example.com/',
      OAUTH_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x',
    });
    expect(config.oauth).toEqual({
      enabled: false,
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 86400,
      publicBaseUrl: 'https://mcp.example.com',
      secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x',
      secretFile: undefined,
    });
    expect(parseConfig({ OAUTH: 'on' }).oauth.enabled).toBe(true);
    expect(parseConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:3000' }).oauth.publicBaseUrl).toBe('http://127.0.0.1:3000');
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '8080',
      ELEVENLABS_BASE_URL: 'http://127.0.0.1:9000/',
      AUDIO_BUCKET: 'my-audio',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
      AUDIO_URL_TTL_SECONDS: '900',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443',
      ENABLED_TOOLS: 'tts, voices',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      port: 8080,
      elevenLabsBaseUrl: 'http://127.0.0.1:9000',
      audioBucket: 'my-audio',
      awsRegion: 'eu-west-1',
      s3Endpoint: 'http://127.0.0.1:4569',
      audioUrlTtlSeconds: 900,
      allowedOrigins: ['https://a.example', 'https://b.example:8443'],
      enabledTools: ['tts', 'voices'],
      logLevel: 'debug',
    });
  });

  it.each(Object.entries(RESIDENCY_BASE_URLS))('maps ELEVENLABS_RESIDENCY=%s to its host', (residency, url) => {
    expect(parseConfig({ ELEVENLABS_RESIDENCY: residency }).elevenLabsBaseUrl).toBe(url);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ELEVENLABS_BASE_URL', 'ftp://x'],
    ['ELEVENLABS_RESIDENCY', 'mars'],
    ['AUDIO_BUCKET', 'Bad_Bucket'],
    ['AWS_ENDPOINT_URL_S3', 'not a url'],
    ['AUDIO_URL_TTL_SECONDS', '10'],
    ['AUDIO_URL_TTL_SECONDS', '999999'],
    ['ALLOWED_ORIGINS', 'https://a.example/path'],
    ['LOG_LEVEL', 'loud'],
    ['OAUTH', 'maybe'],
    ['OAUTH_ACCESS_TOKEN_TTL_SECONDS', '5'],
    ['OAUTH_REFRESH_TOKEN_TTL_SECONDS', '99999999'],
    ['PUBLIC_BASE_URL', 'http://mcp.example.com'],
    ['PUBLIC_BASE_URL', 'https://mcp.example.com/prefix'],
  ])('fails fast on %s=%s, naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });

  it('refuses both a base URL and a residency', () => {
    expect(() => parseConfig({ ELEVENLABS_BASE_URL: 'https://x.example', ELEVENLABS_RESIDENCY: 'eu' })).toThrow(
      /not both/,
    );
  });

  it('treats empty values (as SAM passes unset parameters) as unset', () => {
    expect(
      parseConfig({
        ELEVENLABS_RESIDENCY: '',
        AUDIO_BUCKET: '',
        ALLOWED_ORIGINS: '',
        ENABLED_TOOLS: '',
        AWS_ENDPOINT_URL_S3: '',
      }),
    ).toMatchObject({
      elevenLabsBaseUrl: DEFAULT_BASE_URL,
      audioBucket: undefined,
      allowedOrigins: [],
      enabledTools: [],
    });
  });
});
