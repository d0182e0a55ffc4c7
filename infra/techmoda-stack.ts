import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledgeNagFindings } from './nag-acknowledgements.ts';
import { OperationsAlarms } from './operations-alarms.ts';
import { OperationsDashboard } from './operations-dashboard.ts';
import { ProductAuth } from './product-auth.ts';
import { ProductFunctions } from './product-functions.ts';
import { ProductRestApi } from './product-rest-api.ts';
import { ProductTable } from './product-table.ts';
import type { StackConfig } from './stack-config.ts';

/** Props of {@link TechModaStack}. */
export interface TechModaStackProps extends StackProps {
  readonly config: StackConfig;
}

/** The product API: table, four functions, the writers' user pool, REST API, alarms and dashboard. What `techmoda local` runs too. */
export class TechModaStack extends Stack {
  readonly productTable: ProductTable;
  readonly functions: ProductFunctions;
  readonly auth: ProductAuth;
  readonly restApi: ProductRestApi;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: TechModaStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.productTable = new ProductTable(this, 'Products', config);
    this.functions = new ProductFunctions(this, 'Functions', this.productTable.table, config);
    this.auth = new ProductAuth(this, 'Auth');
    this.restApi = new ProductRestApi(this, 'Api', this.functions, this.auth, config);
    const parts = { table: this.productTable.table, functions: this.functions, api: this.restApi };
    this.alarms = new OperationsAlarms(this, 'Alarms', parts, config);
    new OperationsDashboard(this, 'Dashboard', parts);
    acknowledgeNagFindings(this);

    new CfnOutput(this, 'ApiUrl', { value: this.restApi.api.url, description: 'Base URL of the product API stage' });
    new CfnOutput(this, 'ProductsTableName', { value: this.productTable.table.tableName });
    new CfnOutput(this, 'TokenUrl', {
      value: `${this.auth.domain.baseUrl()}/oauth2/token`,
      description: 'Cognito token endpoint for the back-office client (client credentials, scope products/write)',
    });
    new CfnOutput(this, 'BackOfficeClientId', { value: this.auth.backOffice.userPoolClientId });
    new CfnOutput(this, 'WritersUserPoolId', {
      value: this.auth.userPool.userPoolId,
      description: 'The writers user pool: aws cognito-idp describe-user-pool-client gives the back-office secret',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
