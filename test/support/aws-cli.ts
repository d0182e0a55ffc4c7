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
