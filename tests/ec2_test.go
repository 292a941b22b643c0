package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/ec2service"
	"github.com/ecsforge/ecsforge/rules"
)

// userData returns the text of a launch template's user data, with references to the cluster
// shown as <cluster>.
func userData(t *testing.T, s forgetest.Stack) string {
	t.Helper()
	_, lt := resource(t, s, "AWS::EC2::LaunchTemplate")
	if text, ok := get(lt, "LaunchTemplateData", "UserData", "Fn::Base64").(string); ok {
		return text // no reference to resolve: an imported cluster's literal name
	}
	parts, _ := get(lt, "LaunchTemplateData", "UserData", "Fn::Base64", "Fn::Join", "1").([]any)
	var b strings.Builder
	for _, p := range parts {
		if str, ok := p.(string); ok {
			b.WriteString(str)
		} else {
			b.WriteString("<cluster>")
		}
	}
	return b.String()
}

func hasLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		have[l] = true
	}
	for _, l := range lines {
		if !have[l] {
			t.Errorf("user data lacks the line %q:\n%s", l, text)
		}
	}
}

func TestEc2WebService(t *testing.T) {
	s := examples(t).Stack(t, "Ec2WebService")
	ud := userData(t, s)
	hasLines(t, ud,
		"#!/bin/bash",
		"echo ECS_CLUSTER=<cluster> >> /etc/ecs/ecs.config",
		"echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config",
		"echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config",
		"echo ECS_RESERVED_MEMORY=256 >> /etc/ecs/ecs.config",
		`echo ECS_INSTANCE_ATTRIBUTES='{"workload":"web"}' >> /etc/ecs/ecs.config`,
		`echo ECS_CONTAINER_INSTANCE_TAGS='{"team":"platform"}' >> /etc/ecs/ecs.config`,
	)
	if strings.Contains(ud, "ECS_WARM_POOLS_CHECK") || strings.Contains(ud, "ECS_ENABLE_GPU_SUPPORT") {
		t.Errorf("user data has settings nobody asked for:\n%s", ud)
	}

	_, lt := resource(t, s, "AWS::EC2::LaunchTemplate")
	if get(lt, "LaunchTemplateData", "MetadataOptions", "HttpTokens") != "required" || num(t, get(lt, "LaunchTemplateData", "MetadataOptions", "HttpPutResponseHopLimit")) != 1 {
		t.Errorf("IMDSv2 not enforced: %v", get(lt, "LaunchTemplateData", "MetadataOptions"))
	}
	if get(lt, "LaunchTemplateData", "BlockDeviceMappings", "0", "Ebs", "Encrypted") != true {
		t.Errorf("root volume not encrypted")
	}
	if img := forgetestJSON(map[string]any{"i": get(lt, "LaunchTemplateData", "ImageId")}); !strings.Contains(img, "amazonlinux2023recommended") {
		t.Errorf("image = %s", img)
	}

	asgID, asg := resource(t, s, "AWS::AutoScaling::AutoScalingGroup")
	if asg["MinSize"] != "0" || asg["MaxSize"] != "6" || asg["DesiredCapacity"] != nil || asg["NewInstancesProtectedFromScaleIn"] != true {
		t.Errorf("ASG sizes/protection = %v %v %v %v", asg["MinSize"], asg["MaxSize"], asg["DesiredCapacity"], asg["NewInstancesProtectedFromScaleIn"])
	}
	dist := get(asg, "MixedInstancesPolicy", "InstancesDistribution")
	if num(t, get(dist, "OnDemandBaseCapacity")) != 1 || num(t, get(dist, "OnDemandPercentageAboveBaseCapacity")) != 25 || get(dist, "SpotAllocationStrategy") != "price-capacity-optimized" {
		t.Errorf("instances distribution = %v", dist)
	}
	if n := len(get(asg, "MixedInstancesPolicy", "LaunchTemplate", "Overrides").([]any)); n != 3 {
		t.Errorf("%d instance type overrides, want 3", n)
	}

	cpID, cp := resource(t, s, "AWS::ECS::CapacityProvider")
	g := get(cp, "AutoScalingGroupProvider")
	if get(g, "ManagedScaling", "Status") != "ENABLED" || num(t, get(g, "ManagedScaling", "TargetCapacity")) != 100 ||
		get(g, "ManagedTerminationProtection") != "ENABLED" || get(g, "ManagedDraining") != "ENABLED" || num(t, get(g, "ManagedScaling", "InstanceWarmupPeriod")) != 90 {
		t.Errorf("capacity provider = %v", g)
	}
	_, assoc := resource(t, s, "AWS::ECS::ClusterCapacityProviderAssociations")
	if !strings.Contains(forgetestJSON(assoc), `"DefaultCapacityProviderStrategy":[{"CapacityProvider":{"Ref":"`+cpID+`"},"Weight":1}]`) {
		t.Errorf("cluster default strategy = %v", assoc["DefaultCapacityProviderStrategy"])
	}

	svcID, svc := resource(t, s, "AWS::ECS::Service")
	if !strings.Contains(forgetestJSON(svc), `"CapacityProviderStrategy":[{"CapacityProvider":{"Ref":"`+cpID+`"},"Weight":1}]`) ||
		get(svc, "PlacementConstraints", "0", "Expression") != "attribute:workload == web" || get(svc, "PlacementConstraints", "0", "Type") != "memberOf" ||
		get(svc, "PlacementStrategies", "0", "Field") != "attribute:ecs.availability-zone" || get(svc, "PlacementStrategies", "1", "Type") != "binpack" {
		t.Errorf("service placement/strategy = %s", forgetestJSON(svc))
	}
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	if td["NetworkMode"] != "bridge" || num(t, get(td, "ContainerDefinitions", "0", "PortMappings", "0", "HostPort")) != 0 || get(td, "RequiresCompatibilities", "0") != "EC2" {
		t.Errorf("task definition = %s", forgetestJSON(td))
	}
	_, tg := resource(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")
	if tg["TargetType"] != "instance" {
		t.Errorf("bridge service target type = %v", tg["TargetType"])
	}
	_, ingress := resource(t, s, "AWS::EC2::SecurityGroupIngress")
	if num(t, ingress["FromPort"]) != 32768 || num(t, ingress["ToPort"]) != 65535 || !strings.Contains(forgetestJSON(ingress), "LBSecurityGroup") {
		t.Errorf("instance ingress = %v", ingress)
	}

	// Deletion: the group goes before the cluster, and is force-deleted after the service.
	res := s.Template["Resources"].(map[string]any)
	if deps := fmt.Sprint(get(res, asgID, "DependsOn")); !strings.Contains(deps, "Cluster") {
		t.Errorf("ASG DependsOn = %s, want the cluster", deps)
	}
	var forceID string
	var fnID string
	var fn map[string]any
	for id, r := range s.Template.Resources("AWS::Lambda::Function") {
		if strings.HasPrefix(id, "CapacityForceDeleteHandler") {
			fnID, fn = id, get(r, "Properties").(map[string]any)
		}
	}
	for id, r := range s.Template.Resources("Custom::ForceDeleteAutoScalingGroup") {
		forceID = id
		// Deleted before the group, and while its handler may still read and delete.
		for _, dep := range []string{asgID, "CapacityForceDeletePolicy"} {
			if !strings.Contains(fmt.Sprint(r["DependsOn"]), dep) {
				t.Errorf("force delete resource does not depend on %s: %v", dep, r["DependsOn"])
			}
		}
		if g := get(r, "Properties", "AutoScalingGroupName", "Ref"); g != asgID {
			t.Errorf("force delete names group %v, want %s", g, asgID)
		}
		if tok := fmt.Sprint(get(r, "Properties", "ServiceToken", "Fn::GetAtt")); !strings.Contains(tok, fnID) {
			t.Errorf("force delete service token = %s, want the handler %s", tok, fnID)
		}
	}
	// The handler is the tested forcedelete.js, inline, and may read this stack and delete
	// this group only.
	if code, _ := get(fn, "Code", "ZipFile").(string); !strings.Contains(code, "'DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'") || fn["Runtime"] != "nodejs24.x" {
		t.Errorf("force delete handler: runtime %v, code %.200q", fn["Runtime"], code)
	}
	var pol map[string]any
	for id, r := range s.Template.Resources("AWS::IAM::Policy") {
		if strings.HasPrefix(id, "CapacityForceDeletePolicy") {
			pol = r
		}
	}
	if doc := forgetestJSON(pol); !strings.Contains(doc, `"Action":"cloudformation:DescribeStacks","Effect":"Allow","Resource":{"Ref":"AWS::StackId"}`) ||
		!strings.Contains(doc, `"Action":"autoscaling:DeleteAutoScalingGroup"`) {
		t.Errorf("force delete policy = %s", doc)
	}
	if forceID == "" || !strings.Contains(fmt.Sprint(get(res, svcID, "DependsOn")), forceID) {
		t.Errorf("service does not depend on the force delete resource %q: %v", forceID, get(res, svcID, "DependsOn"))
	}
}

func TestEc2Daemon(t *testing.T) {
	s := examples(t).Stack(t, "Ec2Daemon")
	ud := userData(t, s)
	hasLines(t, ud, "[settings.ecs]", `cluster = "<cluster>"`, "awsvpc-block-imds = true", "reserved-memory = 128")
	if strings.Contains(ud, "#!/bin/bash") || strings.Contains(ud, "ecs.config") {
		t.Errorf("Bottlerocket got shell user data:\n%s", ud)
	}
	_, lt := resource(t, s, "AWS::EC2::LaunchTemplate")
	if img := forgetestJSON(map[string]any{"i": get(lt, "LaunchTemplateData", "ImageId")}); !strings.Contains(img, "bottlerocketawsecs2arm64") {
		t.Errorf("image = %s", img)
	}
	if n := len(get(lt, "LaunchTemplateData", "BlockDeviceMappings").([]any)); n != 2 {
		t.Errorf("%d volumes, want Bottlerocket's OS and data volumes", n)
	}
	_, svc := resource(t, s, "AWS::ECS::Service")
	if svc["SchedulingStrategy"] != "DAEMON" || svc["DesiredCount"] != nil || svc["PlacementStrategies"] != nil || svc["CapacityProviderStrategy"] != nil || svc["LaunchType"] != "EC2" {
		t.Errorf("daemon service = %s", forgetestJSON(svc))
	}
	if num(t, get(svc, "DeploymentConfiguration", "MaximumPercent")) != 100 || num(t, get(svc, "DeploymentConfiguration", "MinimumHealthyPercent")) != 0 {
		t.Errorf("daemon deployment = %v", get(svc, "DeploymentConfiguration"))
	}
	_, asg := resource(t, s, "AWS::AutoScaling::AutoScalingGroup")
	if asg["MinSize"] != "1" {
		t.Errorf("daemon-only cluster MinSize = %v", asg["MinSize"])
	}
}

func ec2Stack(app awscdk.App, id string) (awscdk.Stack, *cluster.Cluster) {
	stack := awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	return stack, cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
}

func nginx(mem int) taskdef.Container {
	return taskdef.Container{Name: "web", Image: awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil), Ports: []taskdef.Port{{Port: 80}}, MemoryMiB: mem}
}

// TestCapacityOptions synthesizes the options the examples do not use, one stack each.
func TestCapacityOptions(t *testing.T) {
	app := forgetest.NewApp(t)
	variants := map[string]capacity.Props{
		"Gpu":          {Image: capacity.AmazonLinux2023GPU, InstanceTypes: []string{"g5.xlarge"}, MaxCapacity: 2},
		"WarmPool":     {MaxCapacity: 4, WarmPool: &capacity.WarmPool{MinSize: 1}},
		"OpenIMDS":     {MaxCapacity: 2, Agent: capacity.Agent{AllowTaskIMDS: true}},
		"BrAttributes": {Image: capacity.Bottlerocket, MaxCapacity: 2, Spot: &capacity.Spot{}, Agent: capacity.Agent{Attributes: map[string]string{"zone": "a"}}},
		"NoMTP":        {MaxCapacity: 2, DisableManagedTerminationProtection: true, TargetCapacityPercent: 80, MinimumScalingStep: 1, MaximumScalingStep: 2},
	}
	for name, p := range variants {
		stack, c := ec2Stack(app, name)
		p.Cluster = c.Cluster
		capa := capacity.New(stack, "Capacity", p)
		if name == "Gpu" {
			// An awsvpc service on EC2: target type ip, its own security group.
			ec2service.New(stack, "Api", ec2service.Props{Capacity: capa,
				Task:         taskdef.Props{Containers: []taskdef.Container{nginx(512)}},
				LoadBalancer: &alb.Props{Internal: true}})
		}
		if name == "NoMTP" {
			ec2service.New(stack, "Host", ec2service.Props{Capacity: capa,
				Task:         taskdef.Props{NetworkMode: taskdef.Host, MemoryMiB: 512, Containers: []taskdef.Container{nginx(0)}},
				Service:      service.Props{EC2: &service.EC2{PlacementConstraints: []service.PlacementConstraint{{DistinctInstance: true}}}},
				LoadBalancer: &alb.Props{}})
		}
	}
	asm := forgetest.Synth(t, app)

	gpu := asm.Stack(t, "Gpu")
	hasLines(t, userData(t, gpu), "echo ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config")
	if _, tg := resource(t, gpu, "AWS::ElasticLoadBalancingV2::TargetGroup"); tg["TargetType"] != "ip" {
		t.Errorf("awsvpc EC2 service target type = %v", tg["TargetType"])
	}
	if _, svc := resource(t, gpu, "AWS::ECS::Service"); get(svc, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp") != "DISABLED" {
		t.Errorf("awsvpc EC2 service network = %v", get(svc, "NetworkConfiguration"))
	}

	warm := asm.Stack(t, "WarmPool")
	hasLines(t, userData(t, warm), "echo ECS_WARM_POOLS_CHECK=true >> /etc/ecs/ecs.config")
	if _, wp := resource(t, warm, "AWS::AutoScaling::WarmPool"); num(t, wp["MinSize"]) != 1 || wp["PoolState"] != "Stopped" {
		t.Errorf("warm pool = %v", wp)
	}

	open := asm.Stack(t, "OpenIMDS")
	if strings.Contains(userData(t, open), "ECS_AWSVPC_BLOCK_IMDS") {
		t.Errorf("tasks may reach IMDS, yet it is blocked")
	}
	if _, lt := resource(t, open, "AWS::EC2::LaunchTemplate"); num(t, get(lt, "LaunchTemplateData", "MetadataOptions", "HttpPutResponseHopLimit")) != 2 {
		t.Errorf("hop limit = %v", get(lt, "LaunchTemplateData", "MetadataOptions"))
	}

	br := asm.Stack(t, "BrAttributes")
	hasLines(t, userData(t, br), "enable-spot-instance-draining = true", "[settings.ecs.instance-attributes]", `"zone" = "a"`)

	nomtp := asm.Stack(t, "NoMTP")
	if n := len(nomtp.Template.Resources("Custom::AWS")); n != 0 {
		t.Errorf("no managed termination protection, yet %d force delete resources", n)
	}
	_, cp := resource(t, nomtp, "AWS::ECS::CapacityProvider")
	g := get(cp, "AutoScalingGroupProvider")
	if get(g, "ManagedTerminationProtection") != "DISABLED" || num(t, get(g, "ManagedScaling", "TargetCapacity")) != 80 || num(t, get(g, "ManagedScaling", "MaximumScalingStepSize")) != 2 {
		t.Errorf("capacity provider = %v", g)
	}
	if _, asg := resource(t, nomtp, "AWS::AutoScaling::AutoScalingGroup"); asg["NewInstancesProtectedFromScaleIn"] == true {
		t.Errorf("instances protected without managed termination protection")
	}
	_, ingress := resource(t, nomtp, "AWS::EC2::SecurityGroupIngress")
	if num(t, ingress["FromPort"]) != 80 || num(t, ingress["ToPort"]) != 80 {
		t.Errorf("host-mode ingress = %v", ingress)
	}
	if _, svc := resource(t, nomtp, "AWS::ECS::Service"); get(svc, "PlacementConstraints", "0", "Type") != "distinctInstance" {
		t.Errorf("constraints = %v", svc["PlacementConstraints"])
	}
	for _, name := range asm.Names() {
		for _, m := range asm.Stacks[name].Errors() {
			t.Errorf("%s %s: %s", name, m.Path, m.Text)
		}
	}
}

// TestEc2BadPropsFailSynth: each mistake fails synth with its rule, property and value.
func TestEc2BadPropsFailSynth(t *testing.T) {
	type build func(stack awscdk.Stack, c *cluster.Cluster)
	capa := func(p capacity.Props) build {
		return func(stack awscdk.Stack, c *cluster.Cluster) {
			p.Cluster = c.Cluster
			p.MaxCapacity = max(p.MaxCapacity, 1)
			capacity.New(stack, "Bad", p)
		}
	}
	svc := func(p ec2service.Props) build {
		return func(stack awscdk.Stack, c *cluster.Cluster) {
			p.Capacity = capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, MaxCapacity: 2})
			if p.Task.Containers == nil {
				p.Task.Containers = []taskdef.Container{nginx(256)}
			}
			ec2service.New(stack, "Bad", p)
		}
	}
	cases := []struct {
		name  string
		build build
		want  []string
	}{
		{"termination protection without scaling", capa(capacity.Props{DisableManagedScaling: true}), []string{"ECS048", "DisableManagedScaling=true", "needs managed scaling"}},
		{"target capacity", capa(capacity.Props{TargetCapacityPercent: 101}), []string{"ECS048", "TargetCapacityPercent=101", "between 1 and 100"}},
		{"bottlerocket with shell user data", capa(capacity.Props{Image: capacity.Bottlerocket, Agent: capacity.Agent{ExtraUserData: []string{"echo ECS_LOGLEVEL=debug >> /etc/ecs/ecs.config"}}}),
			[]string{"ECS013", "Agent.ExtraUserData[0]=echo ECS_LOGLEVEL=debug", "TOML"}},
		{"bottlerocket with warm pool", capa(capacity.Props{Image: capacity.Bottlerocket, WarmPool: &capacity.WarmPool{}}), []string{"ECS013 WarmPool=set", "ECS_WARM_POOLS_CHECK"}},
		{"minimum above maximum", capa(capacity.Props{MaxCapacity: 1, MinCapacity: new(3)}), []string{"ECS040 MinCapacity=3", "must not exceed MaxCapacity (1)"}},
		{"daemon with strategies", svc(ec2service.Props{Service: service.Props{EC2: &service.EC2{Daemon: true, PlacementStrategies: []service.PlacementStrategy{service.BinpackMemory}}}}),
			[]string{"ECS045", "Service.EC2.PlacementStrategies=1"}},
		{"daemon with desired count", svc(ec2service.Props{Service: service.Props{DesiredCount: new(3), EC2: &service.EC2{Daemon: true}}}), []string{"Service.DesiredCount=3", "daemon"}},
		{"too many strategies", svc(ec2service.Props{Service: service.Props{EC2: &service.EC2{PlacementStrategies: []service.PlacementStrategy{
			service.Randomly, service.Randomly, service.Randomly, service.Randomly, service.Randomly, service.Randomly}}}}), []string{"ECS044", "Service.EC2.PlacementStrategies=6", "at most 5"}},
		{"public IP on EC2", svc(ec2service.Props{Service: service.Props{AssignPublicIP: true}}), []string{"ECS035", "Service.AssignPublicIP=true"}},
		{"container memory missing", svc(ec2service.Props{Task: taskdef.Props{Containers: []taskdef.Container{nginx(0)}}}), []string{"ECS012", "Task.Containers[0].MemoryMiB=unset"}},
		{"capacity without cluster", func(stack awscdk.Stack, c *cluster.Cluster) {
			capacity.New(stack, "Bad", capacity.Props{MaxCapacity: 1})
		}, []string{"ECS200 Cluster=unset: EC2 capacity needs the cluster it serves"}},
		{"service without cluster or task", func(stack awscdk.Stack, c *cluster.Cluster) {
			service.New(stack, "Bad", service.Props{})
		}, []string{"ECS200 Cluster=unset: a service needs a cluster", "ECS200 TaskDefinition=unset: a service needs a task definition"}},
		{"fargate provider on EC2", svc(ec2service.Props{Service: service.Props{CapacityProviders: []service.Strategy{{Provider: service.Fargate, Weight: 1}}}}),
			[]string{`ECS205 Service.CapacityProviders[0].Provider="FARGATE"`, "Auto Scaling group capacity providers"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := forgetest.NewApp(t)
			stack, cl := ec2Stack(app, "Bad")
			c.build(stack, cl)
			err := forgetest.SynthError(app)
			if err == nil {
				t.Fatal("synth succeeded")
			}
			for _, w := range append([]string{"[Bad/Bad]"}, c.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestInvalidCapacityUsedByService: a service on capacity whose props are invalid builds
// nothing, and synth reports the capacity's violations only, with no Go panic.
func TestInvalidCapacityUsedByService(t *testing.T) {
	for name, p := range map[string]capacity.Props{
		"no maximum":            {},
		"minimum above maximum": {MinCapacity: new(5), MaxCapacity: 2},
	} {
		t.Run(name, func(t *testing.T) {
			app := forgetest.NewApp(t)
			stack, c := ec2Stack(app, "Bad")
			p.Cluster = c.Cluster
			capa := capacity.New(stack, "Capacity", p)
			ec2service.New(stack, "Web", ec2service.Props{Capacity: capa,
				Task: taskdef.Props{NetworkMode: taskdef.Bridge, Containers: []taskdef.Container{nginx(256)}}, LoadBalancer: &alb.Props{}})
			fs := forgetest.Findings(forgetest.SynthError(app))
			if len(fs) != 1 || fs[0].RuleID != "ECS040" || fs[0].Path != "Bad/Capacity" {
				t.Fatalf("findings = %#v, want the capacity's ECS040 only", fs)
			}
		})
	}
}

// TestTargetTypeMismatchCaught: the pattern picks the target type from the network mode; an
// escape hatch that sets ip targets for bridge tasks is caught by the validation plugin (ECS033).
func TestTargetTypeMismatchCaught(t *testing.T) {
	app := forgetest.NewApp(t)
	stack, c := ec2Stack(app, "Mismatch")
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, MaxCapacity: 2})
	svc := ec2service.New(stack, "Web", ec2service.Props{Capacity: capa,
		Task:         taskdef.Props{NetworkMode: taskdef.Bridge, Containers: []taskdef.Container{nginx(256)}},
		LoadBalancer: &alb.Props{}})
	svc.Frontend.TargetGroup.Node().DefaultChild().(awscdk.CfnResource).AddPropertyOverride(jsii.String("TargetType"), jsii.String("ip"))
	err := forgetest.SynthError(app)
	var got []string
	for _, f := range forgetest.Findings(err) {
		got = append(got, f.RuleID+" "+f.Path+" "+f.Message)
	}
	if !slices.ContainsFunc(got, func(s string) bool {
		return strings.HasPrefix(s, "ECS033 Mismatch/Web/Service/Service/Service ") && strings.Contains(s, "bridge tasks register by instance")
	}) {
		t.Errorf("findings lack ECS033 on the service: %q", got)
	}
}

// TestCapacityOutsideClusterStack: capacity in another stack than its cluster, or on an
// imported cluster, fails with ECS208 saying where to create it, not with a dependency cycle.
func TestCapacityOutsideClusterStack(t *testing.T) {
	app := forgetest.NewApp(t)
	_, c := ec2Stack(app, "Network")
	services := awscdk.NewStack(app, jsii.String("Services"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	capacity.New(services, "Capacity", capacity.Props{Cluster: c.Cluster, MaxCapacity: 2})
	imported := awsecs.Cluster_FromClusterArn(services, jsii.String("NoVpc"), jsii.String("arn:aws:ecs:eu-west-1:111122223333:cluster/shared"))
	capacity.New(services, "OnImportedWithoutVpc", capacity.Props{Cluster: imported, MaxCapacity: 2})
	fs := forgetest.Findings(forgetest.SynthError(app))
	if len(fs) != 2 {
		t.Fatalf("findings = %v, want ECS208 and ECS200", fs)
	}
	if f := fs[0]; f.RuleID != "ECS208" || f.Property != "Cluster" || f.Path != "Services/Capacity" || !strings.Contains(f.String(), "create the capacity with capacity.New in stack Network") {
		t.Errorf("other-stack cluster: %s", f)
	}
	if f := fs[1]; f.RuleID != "ECS200" || f.Path != "Services/OnImportedWithoutVpc" || !strings.Contains(f.Message, "ClusterAttributes.Vpc") {
		t.Errorf("imported cluster without a VPC: %s", f)
	}
}

// TestCapacityOnImportedCluster puts EC2 capacity, a service and a scheduled task on a cluster
// imported by name: the capacity associates its provider with the cluster itself, the agent
// joins the cluster by name, and the service and the schedule wait for the association.
func TestCapacityOnImportedCluster(t *testing.T) {
	app := forgetest.NewApp(t)
	net, c := ec2Stack(app, "Net")
	_ = net
	stack := awscdk.NewStack(app, jsii.String("Team"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	shared := awsecs.Cluster_FromClusterAttributes(stack, jsii.String("Shared"), &awsecs.ClusterAttributes{ClusterName: jsii.String("shared"), Vpc: c.VPC})
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: shared, MaxCapacity: 2, Default: true,
		Spot: &capacity.Spot{OnDemandPercentAboveBase: 50}, InstanceTypes: []string{"m6i.large", "m6a.large"}})
	ec2service.New(stack, "Web", ec2service.Props{Capacity: capa, Task: taskdef.Props{Containers: []taskdef.Container{nginx(256)}}})
	s := forgetest.Synth(t, app).Stack(t, "Team")

	assocID, assoc := resource(t, s, "AWS::ECS::ClusterCapacityProviderAssociations")
	providerID, _ := resource(t, s, "AWS::ECS::CapacityProvider")
	jsonEq(t, "association", assoc, `{"Cluster": "shared",
		"CapacityProviders": [{"Ref": "`+providerID+`"}, "FARGATE", "FARGATE_SPOT"],
		"DefaultCapacityProviderStrategy": [{"CapacityProvider": {"Ref": "`+providerID+`"}, "Weight": 1}]}`)
	hasLines(t, userData(t, s),
		"echo ECS_CLUSTER=shared >> /etc/ecs/ecs.config",
		"echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config")
	for id, r := range s.Template.Resources("AWS::ECS::Service") {
		if !slices.Contains(anyStrings(r["DependsOn"]), assocID) {
			t.Errorf("service %s does not wait for the association: %v", id, r["DependsOn"])
		}
	}
	var statements string
	for id, r := range s.Template.Resources("AWS::IAM::Policy") {
		if strings.HasPrefix(id, "CapacityInstanceRole") {
			statements = forgetestJSON(r)
		}
	}
	for _, want := range []string{`"Action":["ecs:DeregisterContainerInstance","ecs:RegisterContainerInstance","ecs:Submit*"],"Effect":"Allow","Resource":{"Fn::Join":["",["arn:aws:ecs:eu-west-1:",{"Ref":"AWS::AccountId"},":cluster/shared"]]}`,
		`"Condition":{"ArnEquals":{"ecs:cluster":{"Fn::Join":["",["arn:aws:ecs:eu-west-1:",{"Ref":"AWS::AccountId"},":cluster/shared"]]}}}`} {
		if !strings.Contains(statements, want) {
			t.Errorf("the instance role lacks %s:\n%s", want, statements)
		}
	}
	if got := len(s.Template.Resources("AWS::ECS::Cluster")); got != 0 {
		t.Errorf("%d clusters in the team stack", got)
	}
}

func anyStrings(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestCloudMapOnBridge: a bridge-mode service on EC2 capacity registers SRV records, which
// carry the dynamic host port.
func TestCloudMapOnBridge(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Srv"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), DNSNamespace: "internal.example"})
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, MaxCapacity: 2})
	web := nginx(256)
	web.Ports = []taskdef.Port{{Port: 80}}
	ec2service.New(stack, "Web", ec2service.Props{Capacity: capa,
		Task:    taskdef.Props{NetworkMode: taskdef.Bridge, Containers: []taskdef.Container{web}},
		Service: service.Props{CloudMap: &service.CloudMap{Namespace: c.DNSNamespace, Name: "web"}}})
	s := forgetest.Synth(t, app).Stack(t, "Srv")
	_, sd := resource(t, s, "AWS::ServiceDiscovery::Service")
	jsonEq(t, "records", get(sd, "DnsConfig", "DnsRecords"), `[{"Type": "SRV", "TTL": 10}]`)
	_, svc := resource(t, s, "AWS::ECS::Service")
	if get(svc, "ServiceRegistries", "0", "ContainerPort") != 80.0 {
		t.Errorf("service registries %v", svc["ServiceRegistries"])
	}
}

// TestServiceConnectOnEc2: the EC2 service pattern in a namespace: an awsvpc server that a
// Fargate client connects to, the task memory Service Connect requires, and ConnectTo refused
// for a bridge server whose proxies use the instances' dynamic ports.
func TestServiceConnectOnEc2(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Ec2Mesh"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1), Namespace: "shop"})
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, InstanceTypes: []string{"m6i.large"}, MaxCapacity: 2})
	web := nginx(256)
	web.Ports[0].Name = "http"
	api := ec2service.New(stack, "Api", ec2service.Props{Capacity: capa,
		Task:    taskdef.Props{MemoryMiB: 512, Containers: []taskdef.Container{web}},
		Service: service.Props{ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "http", DiscoveryName: "api"}}}}})
	client := service.New(stack, "Client", service.Props{Cluster: c.Cluster,
		TaskDefinition: taskdef.New(stack, "ClientTask", taskdef.Props{Containers: []taskdef.Container{nginx(0)}}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{}})
	client.ConnectTo(api.Service)
	s := forgetest.Synth(t, app).Stack(t, "Ec2Mesh")
	apiSvc := byPrefix(t, s, "AWS::ECS::Service", "ApiService")
	jsonEq(t, "api", get(apiSvc, "ServiceConnectConfiguration", "Services"), `[{"PortName": "http", "DiscoveryName": "api", "ClientAliases": [{"Port": 80}]}]`)
	var into []string
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		if strings.HasPrefix(fmt.Sprint(get(p, "GroupId", "Fn::GetAtt", "0")), "ApiService") {
			into = append(into, fmt.Sprintf("%v:%v-%v", get(p, "SourceSecurityGroupId", "Fn::GetAtt", "0"), p["FromPort"], p["ToPort"]))
		}
	}
	if len(into) != 1 || !strings.HasPrefix(into[0], "ClientService") || !strings.HasSuffix(into[0], ":80-80") {
		t.Errorf("ingress into the EC2 server: %v", into)
	}

	bad := forgetest.NewApp(t)
	bs, bc := ec2Stack(bad, "Bad")
	bc2 := cluster.New(bs, "Mesh", cluster.Props{NATGateways: new(0), VPC: bc.VPC, Namespace: "shop"})
	bcap := capacity.New(bs, "Capacity", capacity.Props{Cluster: bc2.Cluster, InstanceTypes: []string{"m6i.large"}, MaxCapacity: 2})
	ec2service.New(bs, "NoMemory", ec2service.Props{Capacity: bcap, Task: taskdef.Props{Containers: []taskdef.Container{web}},
		Service: service.Props{ServiceConnect: &service.ServiceConnect{}}})
	bridge := ec2service.New(bs, "Bridge", ec2service.Props{Capacity: bcap,
		Task:    taskdef.Props{NetworkMode: taskdef.Bridge, MemoryMiB: 512, Containers: []taskdef.Container{web}},
		Service: service.Props{ServiceConnect: &service.ServiceConnect{Services: []service.ConnectPort{{PortName: "http"}}}}})
	caller := service.New(bs, "Caller", service.Props{Cluster: bc2.Cluster,
		TaskDefinition: taskdef.New(bs, "CallerTask", taskdef.Props{Containers: []taskdef.Container{nginx(0)}}).TaskDefinition,
		ServiceConnect: &service.ServiceConnect{}})
	caller.ConnectTo(bridge.Service)
	err := forgetest.SynthError(bad)
	for _, w := range []string{"[Bad/NoMemory] ECS200 Task.MemoryMiB=unset", "[Bad/Caller] ECS209 ConnectTo=Bad/Bridge/Service: the server's tasks use the bridge network mode"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

// TestEc2TaskFeatures: the task features EC2 alone offers, synthesized: Docker volumes (task
// scoped on the local driver by default, or shared and autoprovisioned with driver options and
// labels), /dev/shm size and tmpfs mounts, with an entry point, a command and a read-only mount.
func TestEc2TaskFeatures(t *testing.T) {
	app := forgetest.NewApp(t)
	stack, c := ec2Stack(app, "Ec2Features")
	capa := capacity.New(stack, "Capacity", capacity.Props{Cluster: c.Cluster, InstanceTypes: []string{"m6i.large"}, MaxCapacity: 2})
	web := nginx(512)
	web.EntryPoint = []string{"/docker-entrypoint.sh"}
	web.Command = []string{"nginx", "-g", "daemon off;"}
	web.SharedMemoryMiB = 256
	web.Tmpfs = []taskdef.Tmpfs{{Path: "/scratch", SizeMiB: 64}}
	web.MountPoints = []taskdef.MountPoint{{Volume: "cache", Path: "/var/cache/nginx"}, {Volume: "models", Path: "/models", ReadOnly: true}}
	ec2service.New(stack, "Web", ec2service.Props{Capacity: capa, Task: taskdef.Props{
		NetworkMode: taskdef.Bridge, MemoryMiB: 1024, Containers: []taskdef.Container{web},
		Volumes: []taskdef.Volume{
			{Name: "cache", Docker: &taskdef.DockerVolume{}},
			{Name: "models", Docker: &taskdef.DockerVolume{Driver: "rexray/ebs", Shared: true, Autoprovision: true,
				DriverOptions: map[string]string{"volumetype": "gp3"}, Labels: map[string]string{"team": "ml"}}},
		},
	}})
	s := forgetest.Synth(t, app).Stack(t, "Ec2Features")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	jsonEq(t, "volumes", td["Volumes"], `[{"Name": "cache", "DockerVolumeConfiguration": {"Autoprovision": false, "Driver": "local", "Scope": "task"}},
		{"Name": "models", "DockerVolumeConfiguration": {"Autoprovision": true, "Driver": "rexray/ebs", "DriverOpts": {"volumetype": "gp3"}, "Labels": {"team": "ml"}, "Scope": "shared"}}]`)
	ct := get(td, "ContainerDefinitions", "0").(map[string]any)
	jsonEq(t, "container", map[string]any{"EntryPoint": ct["EntryPoint"], "Command": ct["Command"], "MountPoints": ct["MountPoints"],
		"SharedMemorySize": get(ct, "LinuxParameters", "SharedMemorySize"), "Tmpfs": get(ct, "LinuxParameters", "Tmpfs")},
		`{"EntryPoint": ["/docker-entrypoint.sh"], "Command": ["nginx", "-g", "daemon off;"],
		"MountPoints": [{"ContainerPath": "/var/cache/nginx", "ReadOnly": false, "SourceVolume": "cache"}, {"ContainerPath": "/models", "ReadOnly": true, "SourceVolume": "models"}],
		"SharedMemorySize": 256, "Tmpfs": [{"ContainerPath": "/scratch", "Size": 64}]}`)
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
}
