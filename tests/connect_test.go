package tests

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
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

// TestServiceConnectApp: the example's three services in the "shop" namespace: the cluster's
// default namespace, each service's Service Connect configuration and proxy logs, and exactly
// the security group rules of the pairs that talk, on exactly their ports.
func TestServiceConnectApp(t *testing.T) {
	s := examples(t).Stack(t, "ServiceConnectApp")
	nsID, ns := resource(t, s, "AWS::ServiceDiscovery::HttpNamespace")
	_, cl := resource(t, s, "AWS::ECS::Cluster")
	if ns["Name"] != "shop" {
		t.Errorf("namespace %v", ns)
	}
	jsonEq(t, "cluster default", cl["ServiceConnectDefaults"], `{"Namespace": {"Fn::GetAtt": ["`+nsID+`", "Arn"]}}`)
	svcs := map[string]map[string]any{}
	ids := map[string]string{}
	for _, name := range []string{"Api", "Web", "Worker"} {
		ids[name] = idOf(t, s, "AWS::ECS::Service", name+"Service")
		svcs[name] = s.Template.Resources("AWS::ECS::Service")[ids[name]]
	}
	logGroups := s.Template.Resources("AWS::Logs::LogGroup")
	for name, r := range svcs {
		sc := get(r, "Properties", "ServiceConnectConfiguration").(map[string]any)
		if sc["Enabled"] != true || sc["Namespace"] != "shop" {
			t.Errorf("%s: Service Connect %v", name, sc)
		}
		jsonEq(t, name+" access logs", sc["AccessLogConfiguration"], `{"Format": "JSON", "IncludeQueryParameters": "DISABLED"}`)
		group := fmt.Sprint(get(sc, "LogConfiguration", "Options", "awslogs-group", "Ref"))
		if get(sc, "LogConfiguration", "LogDriver") != "awslogs" || get(logGroups[group], "Properties", "RetentionInDays") != float64(30) {
			t.Errorf("%s: proxy logs %v in %v", name, sc["LogConfiguration"], logGroups[group])
		}
		if name != "Api" && sc["Services"] != nil {
			t.Errorf("%s is a client only, but offers %v", name, sc["Services"])
		}
	}
	jsonEq(t, "api", get(svcs["Api"], "Properties", "ServiceConnectConfiguration", "Services"), `[{"PortName": "http", "DiscoveryName": "api",
		"ClientAliases": [{"DnsName": "api", "Port": 80}], "Timeout": {"IdleTimeoutSeconds": 300, "PerRequestTimeoutSeconds": 10}}]`)
	// The port name Service Connect refers to, with its application protocol, is api's port mapping.
	jsonEq(t, "api port mapping", get(byPrefix(t, s, "AWS::ECS::TaskDefinition", "ApiTask"), "ContainerDefinitions", "0", "PortMappings"),
		`[{"AppProtocol": "http", "ContainerPort": 80, "Name": "http", "Protocol": "tcp"}]`)
	for _, client := range []string{"Web", "Worker"} {
		if !contains(anyStrings(svcs[client]["DependsOn"]), ids["Api"]) {
			t.Errorf("%s does not wait for api: %v", client, svcs[client]["DependsOn"])
		}
	}
	// Every ingress rule into the three services' security groups: exactly these pairs.
	sgOf := func(name string) string { return idOf(t, s, "AWS::EC2::SecurityGroup", name+"ServiceSecurityGroup") }
	owner := map[string]string{sgOf("Api"): "api", sgOf("Web"): "web", sgOf("Worker"): "worker",
		idOf(t, s, "AWS::EC2::SecurityGroup", "WebLBSecurityGroup"): "load balancer"}
	var got []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		to, from := owner[fmt.Sprint(get(p, "GroupId", "Fn::GetAtt", "0"))], owner[fmt.Sprint(get(p, "SourceSecurityGroupId", "Fn::GetAtt", "0"))]
		if to == "" || to == "load balancer" {
			continue
		}
		got = append(got, fmt.Sprintf("%s->%s:%v-%v", from, to, p["FromPort"], p["ToPort"]))
	}
	sort.Strings(got)
	if want := "[load balancer->web:80-80 web->api:80-80 worker->api:80-80]"; fmt.Sprint(got) != want {
		t.Errorf("ingress into the services %v, want %s", got, want)
	}
	for _, name := range []string{"Api", "Web", "Worker"} {
		if ingress := get(s.Template.Resources("AWS::EC2::SecurityGroup")[sgOf(name)], "Properties", "SecurityGroupIngress"); ingress != nil {
			t.Errorf("%s has inline ingress %v", name, ingress)
		}
	}
	// Task sizes: the web pattern adds the proxy's 256 CPU units to its default task; api's and
	// worker's container limits leave the proxy 256 CPU units and 512 MiB.
	for prefix, want := range map[string]string{
		"ApiTask":    `{"Cpu": "512", "Memory": "1024", "Containers": [[256, 512]]}`,
		"WebTaskDef": `{"Cpu": "512", "Memory": "1024", "Containers": [[null, null]]}`,
		"WorkerTask": `{"Cpu": "512", "Memory": "1024", "Containers": [[256, 512]]}`,
	} {
		td := byPrefix(t, s, "AWS::ECS::TaskDefinition", prefix)
		var limits []any
		for _, c := range td["ContainerDefinitions"].([]any) {
			limits = append(limits, []any{get(c, "Cpu"), get(c, "Memory")})
		}
		jsonEq(t, prefix+" size", map[string]any{"Cpu": td["Cpu"], "Memory": td["Memory"], "Containers": limits}, want)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("the rule engine's findings on the example: %v", fs)
	}
}

// TestServiceConnectSizing: a web service in a namespace with a task size of its own keeps it,
// and one whose containers leave the proxy too little is a finding at synth.
func TestServiceConnectSizing(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Sizing"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "shop"})
	p := webservice.Image("amazon/amazon-ecs-sample")
	p.Cluster, p.Task.CPU, p.Task.MemoryMiB = c.Cluster, 1024, 2048
	p.Service.ServiceConnect = &service.ServiceConnect{}
	webservice.New(stack, "Sized", p)
	full := webservice.Image("amazon/amazon-ecs-sample")
	full.Cluster, full.Task.CPU, full.Task.MemoryMiB = c.Cluster, 256, 512
	full.Task.Containers[0].MemoryMiB = 512
	full.Service.ServiceConnect = &service.ServiceConnect{}
	webservice.New(stack, "Full", full)
	err := forgetest.SynthError(app)
	if err == nil || !strings.Contains(err.Error(), "ECS076") || !strings.Contains(err.Error(), "nothing is left for the Service Connect proxy") || strings.Contains(err.Error(), "Sized") {
		t.Errorf("want ECS076 on Full alone, got %v", err)
	}
}

// TestServiceConnectOptions: an existing namespace by name as the cluster default, TLS with a
// customer managed KMS key and the infrastructure role ecsforge makes, and text access logs
// with query parameters.
func TestServiceConnectOptions(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Options"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), ExistingNamespace: "shared"})
	const ca = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012"
	const keyARN = "arn:aws:kms:eu-west-1:111122223333:key/12345678-1234-1234-1234-123456789012"
	service.New(stack, "Api", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "ApiTask", taskdef.Port{Port: 8080, Name: "api", AppProtocol: taskdef.HTTP}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{
			Services:   []service.ConnectPort{{PortName: "api", TLS: &service.TLS{AuthorityARN: ca, KMSKey: awskms.Key_FromKeyArn(stack, jsii.String("Key"), jsii.String(keyARN))}}},
			AccessLogs: &service.AccessLogs{Text: true, QueryParameters: true},
		}})
	s := forgetest.Synth(t, app).Stack(t, "Options")
	if n := len(s.Template.Resources("AWS::ServiceDiscovery::HttpNamespace")); n != 0 {
		t.Errorf("%d namespaces made for an existing one", n)
	}
	_, cl := resource(t, s, "AWS::ECS::Cluster")
	jsonEq(t, "cluster default", cl["ServiceConnectDefaults"], `{"Namespace": "shared"}`)
	_, svc := resource(t, s, "AWS::ECS::Service")
	sc := svc["ServiceConnectConfiguration"].(map[string]any)
	if sc["Namespace"] != "shared" {
		t.Errorf("service namespace %v", sc["Namespace"])
	}
	jsonEq(t, "access logs", sc["AccessLogConfiguration"], `{"Format": "TEXT", "IncludeQueryParameters": "ENABLED"}`)
	tls := get(sc, "Services", "0", "Tls").(map[string]any)
	if get(tls, "IssuerCertificateAuthority", "AwsPcaAuthorityArn") != ca || tls["KmsKey"] != keyARN {
		t.Errorf("TLS %v", tls)
	}
	roleID := fmt.Sprint(get(tls, "RoleArn", "Fn::GetAtt", "0"))
	role := forgetestJSON(s.Template.Resources("AWS::IAM::Role")[roleID])
	if !strings.Contains(role, service.TLSPolicy) || !strings.Contains(role, `"Service":"ecs.amazonaws.com"`) {
		t.Errorf("TLS role %s: %s", roleID, role)
	}
	// Both ways of naming the default at once, and TLS without an authority, are violations.
	bad := forgetest.NewApp(t)
	bs := awscdk.NewStack(bad, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	cluster.New(bs, "Both", cluster.Props{NATGateways: new(1), Namespace: "a", ExistingNamespace: "b"})
	bc := cluster.New(bs, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "mesh"})
	service.New(bs, "Api", service.Props{Cluster: bc.Cluster,
		TaskDefinition: connectTask(bs, "ApiTask", taskdef.Port{Port: 8080, Name: "api"}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "api", TLS: &service.TLS{}}}}})
	err := forgetest.SynthError(bad)
	for _, w := range []string{"[Bad/Both] ECS070 ExistingNamespace=b", "[Bad/Api] ECS200 ServiceConnect.Services[0].TLS.AuthorityARN=unset"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

// TestServiceConnectBlueGreen: a service with no load balancer deploys blue/green through
// Service Connect, and its clients' requests with the test header reach the new tasks first.
func TestServiceConnectBlueGreen(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("MeshBlueGreen"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "shop"})
	service.New(stack, "Api", service.Props{Cluster: c.Cluster,
		TaskDefinition: connectTask(stack, "ApiTask", taskdef.Port{Port: 8080, Name: "api", AppProtocol: taskdef.HTTP}).TaskDefinition,
		Deployment:     &service.Deployment{Strategy: service.BlueGreen},
		ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "api",
			TestHeader: &service.ConnectTestHeader{Name: "x-release", Value: "green"}}}}})
	s := forgetest.Synth(t, app).Stack(t, "MeshBlueGreen")
	_, svc := resource(t, s, "AWS::ECS::Service")
	if get(svc, "DeploymentConfiguration", "Strategy") != "BLUE_GREEN" || len(anySlice(svc["LoadBalancers"])) != 0 {
		t.Errorf("deployment %v, load balancers %v", svc["DeploymentConfiguration"], svc["LoadBalancers"])
	}
	jsonEq(t, "test traffic", get(svc, "ServiceConnectConfiguration", "Services", "0", "ClientAliases"),
		`[{"Port": 8080, "TestTrafficRules": {"Header": {"Name": "x-release", "Value": {"Exact": "green"}}}}]`)
	if fs := rules.Lint(mustParse(t, s)); rules.HasErrors(fs) {
		t.Errorf("rule engine errors on a valid mesh blue/green service: %v", fs)
	}
	// A test header without a traffic-shifting deployment is a violation.
	bad := forgetest.NewApp(t)
	bs := awscdk.NewStack(bad, jsii.String("Bad"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	bc := cluster.New(bs, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "shop"})
	service.New(bs, "Api", service.Props{Cluster: bc.Cluster,
		TaskDefinition: connectTask(bs, "ApiTask", taskdef.Port{Port: 8080, Name: "api"}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "api", TestHeader: &service.ConnectTestHeader{Name: "x-release"}}}}})
	if err := forgetest.SynthError(bad); err == nil || !strings.Contains(err.Error(), "[Bad/Api] ECS097 ServiceConnect.Services[0].TestHeader=set") {
		t.Errorf("want the test header violation, got %v", err)
	}
}
