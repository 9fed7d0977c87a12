/**
 * The public HTTP API (API Gateway v2): one Lambda-proxy integration per ingress function (payload format 2.0, the
 * shape the Lambda adapters translate), its routes, and an auto-deployed `$default` stage with throttling.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface ApiRoute {
  /** `POST /slack/events`. */
  routeKey: string;
  /** Short name used in child resource names (`slack-events`). */
  id: string;
  handler: aws.lambda.Function;
}

export interface HttpApiArgs {
  apiName: string;
  routes: ApiRoute[];
  /** Requests per second across the stage, and the burst allowance. */
  rateLimit?: number;
  burstLimit?: number;
}

export class HttpApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;

  constructor(name: string, args: HttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:api:HttpApi', name, {}, opts);
    this.api = new aws.apigatewayv2.Api(`${name}-api`, { name: args.apiName, protocolType: 'HTTP' }, { parent: this });
    const integrations = new Map<aws.lambda.Function, aws.apigatewayv2.Integration>();
    for (const route of args.routes) {
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new aws.apigatewayv2.Integration(`${name}-${route.id}-integration`, {
          apiId: this.api.id, integrationType: 'AWS_PROXY', integrationUri: route.handler.invokeArn,
          integrationMethod: 'POST', payloadFormatVersion: '2.0',
        }, { parent: this });
        new aws.lambda.Permission(`${name}-${route.id}-invoke`, {
          action: 'lambda:InvokeFunction', function: route.handler.name, principal: 'apigateway.amazonaws.com',
          sourceArn: pulumi.interpolate`${this.api.executionArn}/*/*`,
        }, { parent: this });
        integrations.set(route.handler, integration);
      }
      new aws.apigatewayv2.Route(`${name}-${route.id}-route`, {
        apiId: this.api.id, routeKey: route.routeKey, target: pulumi.interpolate`integrations/${integration.id}`,
      }, { parent: this });
    }
    this.stage = new aws.apigatewayv2.Stage(`${name}-stage`, {
      apiId: this.api.id, name: '$default', autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: args.rateLimit ?? 50, throttlingBurstLimit: args.burstLimit ?? 100,
      },
    }, { parent: this });
    this.registerOutputs({ url: this.api.apiEndpoint });
  }
}
