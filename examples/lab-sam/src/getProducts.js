// GET /products: one page of the catalogue (a Scan; ?limit=N, default 20). CommonJS, as the lab's Node.js 14
// handlers were; the AWS SDK v3 comes from the runtime, as in Lambda.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, ScanCommand } = require('@aws-sdk/lib-dynamodb');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

exports.handler = async (event) => {
  const limit = Number(event.queryStringParameters?.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return reply(400, { message: 'limit must be a whole number from 1 to 100' });
  const page = await documents.send(new ScanCommand({ TableName: process.env.TABLE_NAME, Limit: limit }));
  return reply(200, { items: page.Items ?? [] });
};

function reply(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
