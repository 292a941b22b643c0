// Package webservice holds the web service examples: the seed's ALB-fronted Fargate service,
// and an HTTPS variant that uses most of the pattern's options.
package webservice

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/aws/jsii-runtime-go"
	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// Seed is the seed notes' example, ApplicationLoadBalancedFargateService running
// amazon/amazon-ecs-sample behind a public ALB, with ecsforge's defaults.
func Seed(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "WebService")
	webservice.New(stack, "MyWebServer", webservice.Image("amazon/amazon-ecs-sample"))
	return stack
}

// HTTPS serves app.example.com over HTTPS with a DNS-validated certificate, on ARM64 tasks
// spread over Fargate and Fargate Spot, with secrets, a container health check, ECS Exec,
// auto scaling and a deployment alarm.
func HTTPS(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "WebServiceHttps")
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLE"),
		ZoneName:     jsii.String("example.com"),
	})
	dbPassword := awssecretsmanager.Secret_FromSecretNameV2(stack, jsii.String("DbSecret"), jsii.String("prod/web/db"))
	apiKey := awsssm.StringParameter_FromSecureStringParameterAttributes(stack, jsii.String("ApiKey"), &awsssm.SecureStringParameterAttributes{
		ParameterName: jsii.String("/prod/web/api-key"),
	})
	alarmName := "WebServiceHttps-Target5xx"

	web := webservice.New(stack, "Web", webservice.Props{
		LoadBalancer: alb.Props{
			DomainName: "app.example.com",
			HostedZone: zone,
			Stickiness: time.Hour,
		},
		Task: taskdef.Props{
			CPU:          512,
			MemoryMiB:    1024,
			Architecture: taskdef.ARM64,
			Containers: []taskdef.Container{{
				Name:        "web",
				Image:       awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.27"), nil),
				Ports:       []taskdef.Port{{Port: 80, Name: "http", AppProtocol: taskdef.HTTP}},
				Environment: map[string]string{"LOG_LEVEL": "info"},
				Secrets: map[string]awsecs.Secret{
					"DB_PASSWORD": taskdef.SecretsManager(dbPassword, "password"),
					"API_KEY":     taskdef.SSMParameter(apiKey),
				},
				HealthCheck: &taskdef.HealthCheck{
					Command:  []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"},
					Interval: 10 * time.Second,
				},
			}},
		},
		Service: service.Props{
			CapacityProviders: []service.Strategy{
				{Provider: service.Fargate, Base: 1, Weight: 1},
				{Provider: service.FargateSpot, Weight: 3},
			},
			EnableExec:       true,
			DeploymentAlarms: []string{alarmName},
			Scaling: &service.Scaling{
				Min: 2, Max: 10,
				TargetCPUPercent:  60,
				RequestsPerTarget: 500,
				Schedules: []service.Schedule{
					{Name: "WeekdayMorning", Cron: "cron(0 7 ? * MON-FRI *)", Min: new(4)},
					{Name: "WeekdayEvening", Cron: "cron(0 20 ? * MON-FRI *)", Min: new(2)},
				},
			},
		},
	})
	nag.Suppress(web.Task.TaskDefinition, nag.Suppression{ID: "AwsSolutions-ECS2",
		Reason: "LOG_LEVEL is non-secret configuration; the secrets come from Secrets Manager and SSM Parameter Store."})
	awscloudwatch.NewAlarm(stack, jsii.String("Target5xx"), &awscloudwatch.AlarmProps{
		AlarmName:         jsii.String(alarmName),
		Metric:            web.TargetGroup.Metrics().HttpCodeTarget(elbv2.HttpCodeTarget_TARGET_5XX_COUNT, nil),
		Threshold:         jsii.Number(10),
		EvaluationPeriods: jsii.Number(2),
		TreatMissingData:  awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	return stack
}
