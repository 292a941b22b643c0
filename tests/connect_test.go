package tests

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

func connectTask(stack awscdk.Stack, id string, ports ...taskdef.Port) *taskdef.TaskDefinition {
	return taskdef.New(stack, id, taskdef.Props{Containers: []taskdef.Container{{
		Image: awsecs.ContainerImage_FromRegistry(jsii.String("public.ecr.aws/nginx/nginx:1.27"), nil), Ports: ports,
	}}})
}

// TestServiceConnect: a cluster with a default namespace, a server that offers one named port
// and a client that connects to it: the namespace, both services' Service Connect
// configuration and proxy logs, one ingress rule on the server's port from the client's
// security group, and the client's deployment after the server's.
func TestServiceConnect(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Mesh"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "internal"})
	api := service.New(stack, "Api", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "ApiTask", taskdef.Port{Port: 8080, Name: "api", AppProtocol: taskdef.HTTP}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "api", DNSName: "api.internal", Port: 80}}}})
	web := service.New(stack, "Web", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "WebTask", taskdef.Port{Port: 80}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{}})
	web.ConnectTo(api)
	s := forgetest.Synth(t, app).Stack(t, "Mesh")

	nsID, ns := resource(t, s, "AWS::ServiceDiscovery::HttpNamespace")
	if ns["Name"] != "internal" {
		t.Errorf("namespace %v", ns)
	}
	_, cl := resource(t, s, "AWS::ECS::Cluster")
	jsonEq(t, "cluster default", cl["ServiceConnectDefaults"], `{"Namespace": {"Fn::GetAtt": ["`+nsID+`", "Arn"]}}`)

	var apiSvc, webSvc map[string]any
	var apiID string
	for id, r := range s.Template.Resources("AWS::ECS::Service") {
		switch {
		case strings.HasPrefix(id, "Api"):
			apiSvc, apiID = r, id
		case strings.HasPrefix(id, "Web"):
			webSvc = r
		}
	}
	sc := get(apiSvc, "Properties", "ServiceConnectConfiguration").(map[string]any)
	jsonEq(t, "server", map[string]any{"Enabled": sc["Enabled"], "Services": sc["Services"]},
		`{"Enabled": true, "Services": [{"PortName": "api", "ClientAliases": [{"DnsName": "api.internal", "Port": 80}]}]}`)
	if get(sc, "LogConfiguration", "LogDriver") != "awslogs" || get(sc, "LogConfiguration", "Options", "awslogs-stream-prefix") != "service-connect" {
		t.Errorf("proxy logs: %v", sc["LogConfiguration"])
	}
	client := get(webSvc, "Properties", "ServiceConnectConfiguration").(map[string]any)
	if client["Enabled"] != true || client["Services"] != nil {
		t.Errorf("client: %v", client)
	}
	if deps := anyStrings(webSvc["DependsOn"]); !contains(deps, apiID) {
		t.Errorf("the client does not wait for the server: %v", deps)
	}
	// Exactly one rule into the server's security group: the client's, on 8080.
	var into []string
	for id, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		if strings.Contains(forgetestJSON(r), `"GroupId":{"Fn::GetAtt":["ApiService`) {
			into = append(into, id+" "+forgetestJSON(get(r, "Properties").(map[string]any)))
		}
	}
	if len(into) != 1 || !strings.Contains(into[0], `"FromPort":8080`) || !strings.Contains(into[0], `"ToPort":8080`) || !strings.Contains(into[0], `"SourceSecurityGroupId":{"Fn::GetAtt":["WebService`) {
		t.Errorf("ingress into the server: %v", into)
	}
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroup") {
		if strings.Contains(forgetestJSON(r), `"SecurityGroupIngress"`) {
			t.Errorf("a security group with inline ingress: %s", forgetestJSON(r))
		}
	}
}

// TestServiceConnectMistakes: no namespace anywhere, a port name the task lacks, and a client
// of a server that offers nothing are violations, not a CDK error.
func TestServiceConnectMistakes(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
	service.New(stack, "NoNamespace", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "T1", taskdef.Port{Port: 8080, Name: "api"}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "grpc"}}}})
	plain := service.New(stack, "Plain", service.Props{Cluster: c.Cluster, TaskDefinition: connectTask(stack, "T2", taskdef.Port{Port: 80}).TaskDefinition})
	client := service.New(stack, "Client", service.Props{Cluster: c.Cluster, TaskDefinition: connectTask(stack, "T3", taskdef.Port{Port: 80}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{Namespace: "internal"}})
	client.ConnectTo(plain)
	err := forgetest.SynthError(app)
	for _, want := range []string{
		"[Bad/NoNamespace] ECS200 ServiceConnect.Namespace=unset: the cluster has no default Service Connect namespace",
		`[Bad/NoNamespace] ECS070 ServiceConnect.Services[0].PortName=grpc: the task definition has no port mapping of that name`,
		"[Bad/Client] ECS070 ConnectTo=Bad/Plain: the server offers no Service Connect port",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestServiceConnectAcrossStacks: a network stack with the namespace, a server stack and a
// client stack synthesize without a dependency cycle; the ingress rule lives in the client's
// stack.
func TestServiceConnectAcrossStacks(t *testing.T) {
	app := forgetest.NewApp(t)
	env := &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}}
	net := awscdk.NewStack(app, jsii.String("Net"), env)
	c := cluster.New(net, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "internal"})
	apiStack := awscdk.NewStack(app, jsii.String("ApiStack"), env)
	api := service.New(apiStack, "Api", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(apiStack, "ApiTask", taskdef.Port{Port: 8080, Name: "api"}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "api"}}}})
	webStack := awscdk.NewStack(app, jsii.String("WebStack"), env)
	web := service.New(webStack, "Web", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(webStack, "WebTask", taskdef.Port{Port: 80}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{}})
	web.ConnectTo(api)
	asm := forgetest.Synth(t, app)
	if n := len(asm.Stack(t, "WebStack").Template.Resources("AWS::EC2::SecurityGroupIngress")); n != 1 {
		t.Errorf("%d ingress rules in the client's stack, want 1", n)
	}
	if n := len(asm.Stack(t, "ApiStack").Template.Resources("AWS::EC2::SecurityGroupIngress")); n != 0 {
		t.Errorf("%d ingress rules in the server's stack, want 0", n)
	}
}

// TestServiceConnectOnWebService: the web service pattern takes Service Connect through its
// service props; its default port is named "http".
func TestServiceConnectOnWebService(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("WebMesh"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "shop"})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Cluster = c.Cluster
	p.Service.ServiceConnect = &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "http", DiscoveryName: "frontend"}}}
	web := webservice.New(stack, "Web", p)
	worker := service.New(stack, "Worker", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "WorkerTask").TaskDefinition, ServiceConnect: &service.ServiceConnect{}})
	worker.ConnectTo(web.Service)
	s := forgetest.Synth(t, app).Stack(t, "WebMesh")
	found := false
	for id, r := range s.Template.Resources("AWS::ECS::Service") {
		if strings.HasPrefix(id, "Web") {
			got := get(r, "Properties", "ServiceConnectConfiguration", "Services", "0", "DiscoveryName")
			found = got == "frontend"
		}
	}
	if !found {
		t.Error("the web service has no Service Connect discovery name frontend")
	}
}

// TestCloudMapDiscovery: a service registers in a private DNS namespace with A records
// (awsvpc) and the short TTL; an HTTP namespace is a violation, not a CDK error.
func TestCloudMapDiscovery(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Dns"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), DNSNamespace: "internal.example", Namespace: "mesh"})
	service.New(stack, "Api", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "ApiTask", taskdef.Port{Port: 8080}).TaskDefinition,
		CloudMap:       &service.CloudMap{Namespace: c.DNSNamespace, Name: "api"}})
	s := forgetest.Synth(t, app).Stack(t, "Dns")
	_, ns := resource(t, s, "AWS::ServiceDiscovery::PrivateDnsNamespace")
	if ns["Name"] != "internal.example" {
		t.Errorf("namespace %v", ns)
	}
	sdID, sd := resource(t, s, "AWS::ServiceDiscovery::Service")
	jsonEq(t, "records", get(sd, "DnsConfig", "DnsRecords"), `[{"Type": "A", "TTL": 10}]`)
	if sd["Name"] != "api" {
		t.Errorf("discovery service %v", sd)
	}
	for id, r := range s.Template.Resources("AWS::ECS::Service") {
		if strings.HasPrefix(id, "Api") && get(r, "Properties", "ServiceRegistries", "0", "RegistryArn", "Fn::GetAtt", "0") != sdID {
			t.Errorf("service registries %v", get(r, "Properties", "ServiceRegistries"))
		}
	}

	bad := forgetest.NewApp(t)
	bs := awscdk.NewStack(bad, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	bc := cluster.New(bs, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "mesh"})
	service.New(bs, "Api", service.Props{Cluster: bc.Cluster,
		TaskDefinition: connectTask(bs, "ApiTask", taskdef.Port{Port: 8080}).TaskDefinition,
		CloudMap:       &service.CloudMap{Namespace: bc.Namespace, Name: "api"}})
	err := forgetest.SynthError(bad)
	if err == nil || !strings.Contains(err.Error(), "[Bad/Api] ECS201 CloudMap.Namespace=HTTP namespace: DNS service discovery needs a private or public DNS namespace") {
		t.Errorf("HTTP namespace: %v", err)
	}
}
