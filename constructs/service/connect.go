package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsservicediscovery"

	"github.com/ecsforge/ecsforge/internal/conv"
	"github.com/ecsforge/ecsforge/internal/nag"
	"github.com/ecsforge/ecsforge/internal/validate"
	"github.com/ecsforge/ecsforge/rules"
)

// Service Connect defaults.
const (
	// ProxyCPU and ProxyMemoryMiB are the task CPU units and memory ECS recommends leaving to
	// the Service Connect proxy beyond the containers' limits (ECS Developer Guide, "Service
	// Connect configuration"); rule ECS077 warns below them.
	ProxyCPU       = rules.ProxyCPU
	ProxyMemoryMiB = rules.ProxyMemoryMiB
	// DefaultProxyLogRetention keeps the Service Connect proxy's logs as long as the tasks' own
	// (taskdef.DefaultLogRetention, one month): both are read together when a call fails.
	DefaultProxyLogRetention = awslogs.RetentionDays_ONE_MONTH
	// ProxyLogStreamPrefix names the proxy's log streams.
	ProxyLogStreamPrefix = "service-connect"
)

// ServiceConnect puts a service in a Service Connect namespace (ECS Developer Guide, "Use
// Service Connect to connect Amazon ECS services with short names"). With Services the service
// is a server (and a client); without, a client only.
type ServiceConnect struct {
	// Namespace is the Cloud Map namespace name or ARN; "" uses the cluster's default namespace
	// (cluster.Props.Namespace).
	Namespace string
	// Services are the named port mappings the service offers in the namespace.
	Services []ConnectPort
	// LogRetention of the proxy's log group (default DefaultProxyLogRetention).
	LogRetention awslogs.RetentionDays
	// AccessLogs writes one line per request through the proxy to the proxy's log group (nil:
	// off; ECS Developer Guide, "Service Connect access logs").
	AccessLogs *AccessLogs
}

// AccessLogs configures Service Connect access logs.
type AccessLogs struct {
	// Text writes Envoy's text format instead of DefaultAccessLogFormat (JSON).
	Text bool
	// QueryParameters keeps the query string in the logged path (default off: query strings
	// may carry tokens and personal data).
	QueryParameters bool
}

// DefaultAccessLogFormat is JSON: each field is queryable in CloudWatch Logs Insights.
const DefaultAccessLogFormat = awsecs.ServiceConnectAccessLogFormat_JSON

// TLS encrypts a Service Connect port with certificates from AWS Private CA (ECS Developer
// Guide, "Encrypt Amazon ECS Service Connect traffic").
type TLS struct {
	// AuthorityARN is the AWS Private CA certificate authority that issues the certificates
	// (required).
	AuthorityARN string
	// KMSKey encrypts the certificates' private keys (nil: an AWS owned key).
	KMSKey awskms.IKey
	// Role is the infrastructure role ECS uses for the certificates; nil makes one trusted by
	// ECS with AWS's AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity.
	Role awsiam.IRole
}

// ConnectPort is one port a Service Connect server offers.
type ConnectPort struct {
	// PortName is the Name of one of the task definition's port mappings (required).
	PortName string
	// DiscoveryName in the namespace (default PortName).
	DiscoveryName string
	// DNSName and Port are the client alias other services call (defaults: DiscoveryName and
	// the container port).
	DNSName string
	Port    int
	// IngressPortOverride is the port the proxy listens on (0: the container port).
	IngressPortOverride int
	// IdleTimeout and PerRequestTimeout of connections through the proxy (0: ECS's defaults).
	IdleTimeout, PerRequestTimeout time.Duration
	// TLS encrypts the traffic to this port (nil: plain text inside the VPC).
	TLS *TLS
	// TestHeader routes the clients' requests that carry this header to the new (green) tasks
	// during an ECS-native blue/green, linear or canary deployment (Props.Deployment); without
	// it ECS uses the x-amzn-ecs-blue-green-test header (ECS Developer Guide, "Service Connect
	// resources for Amazon ECS blue/green, linear, and canary deployments").
	TestHeader *ConnectTestHeader
}

// ConnectTestHeader is a Service Connect test traffic rule: header Name, and optionally the
// exact Value it must have.
type ConnectTestHeader struct {
	Name, Value string
}

// validateConnect checks the Service Connect settings; at prefixes the property paths.
func (sc ServiceConnect) validate(at string) []error {
	var errs []error
	seen := map[string]bool{}
	for i, cp := range sc.Services {
		pa := fmt.Sprintf("%sServiceConnect.Services[%d].", at, i)
		if cp.PortName == "" {
			errs = append(errs, rules.Missing(pa+"PortName", "a Service Connect service names a port mapping of the task definition", rules.ServiceConnect.Source))
		}
		name := conv.OrZero(cp.DiscoveryName, cp.PortName)
		if name != "" && seen[name] {
			errs = append(errs, rules.NewViolation(rules.ServiceConnect, pa+"DiscoveryName", name, "discovery names are unique within a namespace; this service offers %q twice", name))
		}
		seen[name] = true
		if cp.Port != 0 {
			errs = append(errs, rules.CheckPort(pa+"Port", cp.Port))
		}
		if cp.IngressPortOverride != 0 {
			errs = append(errs, rules.CheckPort(pa+"IngressPortOverride", cp.IngressPortOverride))
		}
		if cp.TestHeader != nil && cp.TestHeader.Name == "" {
			errs = append(errs, rules.Missing(pa+"TestHeader.Name", "a test traffic rule names the header that marks test requests", rules.ServiceConnect.Source))
		}
		if cp.TLS != nil && cp.TLS.AuthorityARN == "" {
			errs = append(errs, rules.Missing(pa+"TLS.AuthorityARN", "Service Connect TLS needs the AWS Private CA authority that issues the certificates", rules.ServiceConnect.Source))
		}
		for _, d := range []struct {
			prop string
			v    time.Duration
		}{{"IdleTimeout", cp.IdleTimeout}, {"PerRequestTimeout", cp.PerRequestTimeout}} {
			if d.v < 0 || d.v%time.Second != 0 {
				errs = append(errs, rules.NewViolation(rules.ServiceConnect, pa+d.prop, d.v.String(), "a timeout is a whole, non-negative number of seconds"))
			}
		}
	}
	return errs
}

// validateWith checks what needs the cluster and the task definition: a namespace to join, and
// a port mapping for each port name (CDK would otherwise stop the app with an error).
func (sc ServiceConnect) validateWith(cluster awsecs.ICluster, td awsecs.TaskDefinition) []error {
	var errs []error
	if sc.Namespace == "" && defaultNamespace(cluster) == nil && existingNamespace(cluster) == "" {
		errs = append(errs, rules.Missing("ServiceConnect.Namespace", "the cluster has no default Service Connect namespace (cluster.Props.Namespace): name one here", rules.ServiceConnect.Source))
	}
	for i, cp := range sc.Services {
		if cp.PortName == "" {
			continue
		}
		pm := td.FindPortMappingByName(conv.Str(cp.PortName))
		if pm == nil {
			errs = append(errs, rules.NewViolation(rules.ServiceConnect, fmt.Sprintf("ServiceConnect.Services[%d].PortName", i), cp.PortName,
				"the task definition has no port mapping of that name (taskdef.Port.Name)"))
			continue
		}
		if cp.PerRequestTimeout > 0 && pm.AppProtocol == nil {
			errs = append(errs, rules.NewViolation(rules.ServiceConnect, fmt.Sprintf("ServiceConnect.Services[%d].PerRequestTimeout", i), cp.PerRequestTimeout.String(),
				"port %q has no AppProtocol (TCP), which takes only an idle timeout: set taskdef.Port.AppProtocol (HTTP, HTTP2 or GRPC)", cp.PortName))
		}
		if cp.TLS != nil && td.NetworkMode() == awsecs.NetworkMode_BRIDGE {
			errs = append(errs, rules.NewViolation(rules.ServiceConnectTLS, fmt.Sprintf("ServiceConnect.Services[%d].TLS", i), "set",
				"Service Connect TLS does not support the bridge network mode: use awsvpc"))
		}
	}
	return errs
}

// addTestTraffic writes the ports' test traffic rules (CDK's Service Connect props have none).
func (sc ServiceConnect) addTestTraffic(s *Service) {
	cfn := s.Service.Node().DefaultChild().(awsecs.CfnService)
	for i, cp := range sc.Services {
		h := cp.TestHeader
		if h == nil {
			continue
		}
		header := map[string]any{"Name": h.Name}
		if h.Value != "" {
			header["Value"] = map[string]any{"Exact": h.Value}
		}
		cfn.AddPropertyOverride(conv.Str(fmt.Sprintf("ServiceConnectConfiguration.Services.%d.ClientAliases.0.TestTrafficRules", i)), map[string]any{"Header": header})
	}
}

// TLSPolicy is the AWS-managed policy of the infrastructure role Service Connect TLS uses.
const TLSPolicy = "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"

// newTLSRole is the infrastructure role ECS assumes to issue and rotate a service's Service
// Connect certificates.
func newTLSRole(s *Service) awsiam.IRole {
	role := awsiam.NewRole(s, conv.Str("ServiceConnectTLSRole"), &awsiam.RoleProps{
		AssumedBy:       awsiam.NewServicePrincipal(conv.Str("ecs.amazonaws.com"), nil),
		ManagedPolicies: &[]awsiam.IManagedPolicy{awsiam.ManagedPolicy_FromAwsManagedPolicyName(conv.Str("service-role/" + TLSPolicy))},
	})
	nag.Suppress(role, nag.Suppression{ID: "AwsSolutions-IAM4",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/" + TLSPolicy},
		Reason:    "The AWS-managed policy ECS documents for the infrastructure role of Service Connect TLS (ECS Developer Guide, \"Amazon ECS infrastructure IAM role\")."})
	return role
}

// existingNamespace is the Service Connect default namespace a cluster.Cluster names without
// creating it (cluster.Props.ExistingNamespace), or "".
func existingNamespace(c awsecs.ICluster) string {
	cfn, ok := c.Node().DefaultChild().(awsecs.CfnCluster)
	if !ok || cfn == nil {
		return ""
	}
	d, ok := cfn.ServiceConnectDefaults().(*awsecs.CfnCluster_ServiceConnectDefaultsProperty)
	if !ok || d == nil || d.Namespace == nil {
		return ""
	}
	return *d.Namespace
}

// defaultNamespace is the cluster's default Cloud Map namespace, or nil (CDK raises an error
// for it on a cluster imported with Cluster_FromClusterArn).
func defaultNamespace(c awsecs.ICluster) (ns awsservicediscovery.INamespace) {
	defer func() {
		if recover() != nil {
			ns = nil
		}
	}()
	return c.DefaultCloudMapNamespace()
}

// render is the CDK configuration of the settings, with the proxy's log group made in s.
func (sc ServiceConnect) render(s *Service) *awsecs.ServiceConnectProps {
	logs := awslogs.NewLogGroup(s, conv.Str("ServiceConnectLogs"), &awslogs.LogGroupProps{
		Retention: conv.OrZero(sc.LogRetention, DefaultProxyLogRetention),
	})
	var services []*awsecs.ServiceConnectService
	var tlsRole awsiam.IRole
	for _, cp := range sc.Services {
		svc := &awsecs.ServiceConnectService{
			PortMappingName:     conv.Str(cp.PortName),
			DiscoveryName:       conv.OptStr(cp.DiscoveryName),
			DnsName:             conv.OptStr(cp.DNSName),
			Port:                conv.OptNum(cp.Port),
			IngressPortOverride: conv.OptNum(cp.IngressPortOverride),
			IdleTimeout:         conv.OptSeconds(cp.IdleTimeout),
			PerRequestTimeout:   conv.OptSeconds(cp.PerRequestTimeout),
		}
		if t := cp.TLS; t != nil {
			role := t.Role
			if role == nil {
				if tlsRole == nil {
					tlsRole = newTLSRole(s)
				}
				role = tlsRole
			}
			svc.Tls = &awsecs.ServiceConnectTlsConfiguration{AwsPcaAuthorityArn: conv.Str(t.AuthorityARN), Role: role}
			if t.KMSKey != nil {
				svc.Tls.KmsKey = t.KMSKey
			}
		}
		services = append(services, svc)
	}
	namespace := sc.Namespace
	if namespace == "" && defaultNamespace(s.props.Cluster) == nil {
		namespace = existingNamespace(s.props.Cluster)
	}
	out := &awsecs.ServiceConnectProps{
		Namespace: conv.OptStr(namespace),
		LogDriver: awsecs.LogDrivers_AwsLogs(&awsecs.AwsLogDriverProps{StreamPrefix: conv.Str(ProxyLogStreamPrefix), LogGroup: logs}),
	}
	if al := sc.AccessLogs; al != nil {
		format := DefaultAccessLogFormat
		if al.Text {
			format = awsecs.ServiceConnectAccessLogFormat_TEXT
		}
		out.AccessLogConfiguration = &awsecs.ServiceConnectAccessLogConfiguration{Format: format, IncludeQueryParameters: conv.Bool(al.QueryParameters)}
	}
	if len(services) > 0 {
		out.Services = &services
	}
	return out
}

// ConnectTo lets this service call server through Service Connect: server's security groups
// accept this service's on exactly the ports server offers in the namespace (the proxy's
// ingress port), and this service's deployment waits for server's. Nothing else is opened.
// The rule is written in this service's stack, so a client in a later stack than its server
// creates no dependency cycle.
func (s *Service) ConnectTo(server *Service) {
	if s.Service == nil || server == nil || server.Service == nil {
		return // one of them was not built: its own violations fail synth
	}
	sc := server.props.ServiceConnect
	if sc == nil || len(sc.Services) == 0 {
		validate.Record(s, rules.NewViolation(rules.ServiceConnect, "ConnectTo", *server.Node().Path(),
			"the server offers no Service Connect port (set its ServiceConnect.Services)"))
		return
	}
	if s.props.ServiceConnect == nil {
		validate.Record(s, rules.NewViolation(rules.ServiceConnect, "ServiceConnect", "unset",
			"a client of %s needs Service Connect itself (ServiceConnect: &service.ServiceConnect{} for a client only)", *server.Node().Path()))
		return
	}
	if nm := server.props.TaskDefinition.NetworkMode(); nm == awsecs.NetworkMode_BRIDGE || nm == awsecs.NetworkMode_HOST {
		validate.Record(s, rules.NewViolation(rules.ConnectToNetworkMode, "ConnectTo", *server.Node().Path(),
			"the server's tasks use the %s network mode", strings.ToLower(string(nm))))
		return
	}
	for _, cp := range sc.Services {
		port := cp.IngressPortOverride
		if port == 0 {
			pm := server.props.TaskDefinition.FindPortMappingByName(conv.Str(cp.PortName))
			if pm == nil || pm.ContainerPort == nil {
				validate.Record(server, rules.NewViolation(rules.ServiceConnect, "ServiceConnect.Services.PortName", cp.PortName, "the task definition has no port mapping of that name"))
				continue
			}
			port = int(*pm.ContainerPort)
		}
		for _, sg := range *server.Service.Connections().SecurityGroups() {
			for _, client := range *s.Service.Connections().SecurityGroups() {
				sg.AddIngressRule(client, awsec2.Port_Tcp(conv.Num(port)),
					conv.Str(fmt.Sprintf("Service Connect from %s to %s", *s.Node().Path(), conv.OrZero(cp.DiscoveryName, cp.PortName))), conv.Bool(true))
			}
		}
	}
	// Only the AWS::ECS::Service resources: the whole constructs would make the client's
	// security group wait for the ingress rule that refers to it.
	s.Service.Node().DefaultChild().Node().AddDependency(server.Service.Node().DefaultChild())
}

// DefaultDiscoveryTTL is the TTL of a service's Cloud Map DNS records: clients see a replaced
// task within 10 s (Cloud Map's own default is 60 s; ECS Developer Guide, "Service discovery").
const DefaultDiscoveryTTL = 10 * time.Second

// CloudMap registers the service's tasks in a Cloud Map DNS namespace, for clients outside a
// Service Connect mesh (ECS Developer Guide, "Use service discovery to connect Amazon ECS
// services with DNS names"): A records for awsvpc tasks, SRV records (with the container port)
// for bridge and host tasks.
type CloudMap struct {
	// Namespace is a private (or public) DNS namespace (cluster.Props.DNSNamespace creates one);
	// an HTTP namespace has no DNS (required).
	Namespace awsservicediscovery.INamespace
	// Name of the service in the namespace (required): clients resolve <Name>.<namespace>.
	Name string
	// TTL of the records, whole seconds (default DefaultDiscoveryTTL).
	TTL time.Duration
}

func (c CloudMap) validate(at string) []error {
	var errs []error
	if c.Name == "" {
		errs = append(errs, rules.Missing(at+"CloudMap.Name", "a Cloud Map service needs its name in the namespace", docServiceDiscovery))
	}
	if c.Namespace == nil {
		errs = append(errs, rules.Missing(at+"CloudMap.Namespace", "Cloud Map service discovery needs a DNS namespace (cluster.Props.DNSNamespace)", docServiceDiscovery))
	}
	if c.TTL < 0 || c.TTL%time.Second != 0 {
		errs = append(errs, rules.NewViolation(rules.UnknownValue, at+"CloudMap.TTL", c.TTL.String(), "a DNS TTL is a whole, non-negative number of seconds").See(docServiceDiscovery))
	}
	return errs
}

// docServiceDiscovery is the ECS Developer Guide page on Cloud Map service discovery.
const docServiceDiscovery = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html"

// validateNamespace rejects an HTTP namespace, which has no DNS records (CDK would stop the
// app with an error).
func (c CloudMap) validateNamespace() error {
	if c.Namespace != nil && c.Namespace.Type() == awsservicediscovery.NamespaceType_HTTP {
		return rules.NewViolation(rules.UnknownValue, "CloudMap.Namespace", "HTTP namespace",
			"DNS service discovery needs a private or public DNS namespace; an HTTP namespace (Service Connect's) has no DNS").See(docServiceDiscovery)
	}
	return nil
}

// enable registers the service in the namespace.
func (c CloudMap) enable(s *Service) {
	s.CloudMap = s.Service.EnableCloudMap(&awsecs.CloudMapOptions{
		CloudMapNamespace: c.Namespace,
		Name:              conv.Str(c.Name),
		DnsTtl:            conv.Seconds(conv.OrZero(c.TTL, DefaultDiscoveryTTL)),
	})
}
