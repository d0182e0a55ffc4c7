// POST /products: stores a product ({"name": string, "price": number}) under a new id and answers 201 with it.
const { randomUUID } = require('node:crypto');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

exports.handler = async (event) => {
  let input;
  try {
    input = JSON.parse(event.body ?? '');
  } catch {
    return reply(400, { message: 'the body is not JSON' });
  }
  if (typeof input?.name !== 'string' || input.name.length === 0) return reply(400, { message: 'name is required' });
  if (typeof input.price !== 'number' || !(input.price >= 0)) return reply(400, { message: 'price must be a number of at least 0' });
  const product = { id: randomUUID(), name: input.name, price: input.price, createdAt: new Date().toISOString() };
  await documents.send(
    new PutCommand({ TableName: process.env.TABLE_NAME, Item: product, ConditionExpression: 'attribute_not_exists(id)' }),
  );
  return reply(201, product);
};

function reply(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
