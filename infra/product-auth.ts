import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AuthorizationType, CognitoUserPoolsAuthorizer, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  FeaturePlan,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The scope a write needs: `products/write` (resource server `products`). */
export const writeScope = 'products/write';

/**
 * Who may write the catalogue: a user pool nobody signs up to, a resource server `products` with the scope `write`,
 * a machine client with the client-credentials grant (the back office, an import job), the domain that serves
 * `/oauth2/token`, and the `COGNITO_USER_POOLS` authorizer the write methods use (docs/aws-facts.md B 11).
 */
export class ProductAuth extends Construct {
  readonly userPool: UserPool;
  readonly backOffice: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly authorizer: CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Writers', {
      userPoolName: 'techmoda-writers',
      selfSignUpEnabled: false,
      // Lite: machine-to-machine tokens are priced per client and per request on every plan; no user features needed.
      featurePlan: FeaturePlan.LITE,
      passwordPolicy: { minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      accountRecovery: AccountRecovery.NONE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const write = new ResourceServerScope({ scopeName: 'write', scopeDescription: 'Create, change and delete products' });
    const products = this.userPool.addResourceServer('Products', { identifier: 'products', scopes: [write] });
    this.backOffice = this.userPool.addClient('BackOffice', {
      userPoolClientName: 'back-office',
      generateSecret: true,
      authFlows: {},
      accessTokenValidity: Duration.hours(1),
      oAuth: { flows: { clientCredentials: true }, scopes: [OAuthScope.resourceServer(products, write)] },
    });
    this.domain = this.userPool.addDomain('TokenDomain', { cognitoDomain: { domainPrefix: `techmoda-${Stack.of(this).account}` } });
    // No result cache: one token may carry different scopes than a cached answer for another method (B 11.9).
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Writes', {
      cognitoUserPools: [this.userPool],
      authorizerName: 'techmoda-writers',
      resultsCacheTtl: Duration.seconds(0),
    });
  }

  /** Method options of a write: the Cognito authorizer and the `products/write` scope. */
  get writeMethod(): MethodOptions {
    return { authorizer: this.authorizer, authorizationType: AuthorizationType.COGNITO, authorizationScopes: [writeScope] };
  }
}
