import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `aws dynamodb ...` (Debian's AWS CLI v2) against a local endpoint with dummy credentials; parsed JSON out. */
export async function awsDynamoDb(endpoint: string, ...args: string[]): Promise<any> {
  const { stdout } = await run('/usr/bin/aws', ['dynamodb', ...args, '--endpoint-url', endpoint, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
  });
  return stdout.trim() ? JSON.parse(stdout) : undefined;
}

/** What one AWS CLI command did: its exit code (254 for a service error) and its output. */
export interface AwsCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs any `aws ...` command (Debian's AWS CLI v2) against `endpoint` with dummy credentials; never throws on exit codes. */
export async function runAwsCli(endpoint: string, args: readonly string[]): Promise<AwsCliResult> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run('/usr/bin/aws', [...args, '--endpoint-url', endpoint, '--output', 'json'], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as AwsCliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
