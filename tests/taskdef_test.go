package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsefs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/forgetest"
	"github.com/ecsforge/ecsforge/patterns/webservice"
	"github.com/ecsforge/ecsforge/rules"
)

// TestTaskBreadth: a web service with a read-only root filesystem and a writable bind-mounted
// /tmp, a sidecar that must be healthy before the app starts, a one-shot init container that
// must succeed first, ulimits, Docker labels, a user and a working directory.
func TestTaskBreadth(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Breadth"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	img := func(ref string) awsecs.ContainerImage {
		return awsecs.ContainerImage_FromRegistry(jsii.String(ref), nil)
	}
	p := webservice.Props{Task: taskdef.Props{
		Volumes: []taskdef.Volume{{Name: "tmp"}},
		Containers: []taskdef.Container{
			{Name: "app", Image: img("public.ecr.aws/nginx/nginx:1.27"), Ports: []taskdef.Port{{Port: 80, Name: "http"}},
				ReadonlyRootFilesystem: true,
				MountPoints:            []taskdef.MountPoint{{Volume: "tmp", Path: "/tmp"}},
				DependsOn:              []taskdef.Dependency{{Container: "proxy", Condition: taskdef.Healthy}, {Container: "migrate", Condition: taskdef.Success}},
				Ulimits:                []taskdef.Ulimit{{Name: awsecs.UlimitName_NOFILE, Soft: 65536, Hard: 65536}},
				DockerLabels:           map[string]string{"team": "web"},
				User:                   "101", WorkingDirectory: "/usr/share/nginx/html", StartTimeout: 60 * time.Second,
				Restart: &taskdef.RestartPolicy{IgnoredExitCodes: []int{0}, AttemptPeriod: 2 * time.Minute}},
			{Name: "proxy", Image: img("public.ecr.aws/docker/library/busybox:1.37"), Command: []string{"sh", "-c", "sleep infinity"},
				HealthCheck: &taskdef.HealthCheck{Command: []string{"CMD-SHELL", "true"}}, VolumesFrom: []taskdef.VolumeFrom{{Container: "app", ReadOnly: true}}},
			{Name: "migrate", Image: img("public.ecr.aws/docker/library/busybox:1.37"), Command: []string{"true"}, NonEssential: true},
		},
	}}
	webservice.New(stack, "Web", p)
	s := forgetest.Synth(t, app).Stack(t, "Breadth")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	jsonEq(t, "volumes", td["Volumes"], `[{"Name": "tmp"}]`)
	cs := td["ContainerDefinitions"].([]any)
	byName := map[string]any{}
	for _, c := range cs {
		byName[get(c, "Name").(string)] = c
	}
	app0 := byName["app"]
	jsonEq(t, "mount points", get(app0, "MountPoints"), `[{"SourceVolume": "tmp", "ContainerPath": "/tmp", "ReadOnly": false}]`)
	jsonEq(t, "depends on", get(app0, "DependsOn"), `[{"ContainerName": "proxy", "Condition": "HEALTHY"}, {"ContainerName": "migrate", "Condition": "SUCCESS"}]`)
	jsonEq(t, "ulimits", get(app0, "Ulimits"), `[{"Name": "nofile", "SoftLimit": 65536, "HardLimit": 65536}]`)
	jsonEq(t, "labels", get(app0, "DockerLabels"), `{"team": "web"}`)
	jsonEq(t, "restart policy", get(app0, "RestartPolicy"), `{"Enabled": true, "IgnoredExitCodes": [0], "RestartAttemptPeriod": 120}`)
	if get(app0, "User") != "101" || get(app0, "WorkingDirectory") != "/usr/share/nginx/html" || get(app0, "StartTimeout") != float64(60) || get(app0, "ReadonlyRootFilesystem") != true {
		t.Errorf("app container %v", app0)
	}
	jsonEq(t, "volumes from", get(byName["proxy"], "VolumesFrom"), `[{"SourceContainer": "app", "ReadOnly": true}]`)
	if get(byName["migrate"], "Essential") != false || get(byName["app"], "Essential") != true {
		t.Errorf("essential flags: app %v, migrate %v", get(byName["app"], "Essential"), get(byName["migrate"], "Essential"))
	}
}

// TestTaskBreadthMistakes: each container relation mistake fails synth with its rule.
func TestTaskBreadthMistakes(t *testing.T) {
	img := awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil)
	for _, c := range []struct {
		name string
		task taskdef.Props
		want string
	}{
		{"unknown volume", taskdef.Props{Containers: []taskdef.Container{{Image: img, MountPoints: []taskdef.MountPoint{{Volume: "data", Path: "/data"}}}}},
			"ECS018 Containers[0].MountPoints[0].Volume=data: the task defines no volume of that name"},
		{"healthy without a health check", taskdef.Props{Containers: []taskdef.Container{{Image: img, DependsOn: []taskdef.Dependency{{Container: "side", Condition: taskdef.Healthy}}}, {Name: "side", Image: img}}},
			"ECS016 Containers[0].DependsOn[0].Container=side: HEALTHY needs a health check on side"},
		{"success on an essential container", taskdef.Props{Containers: []taskdef.Container{{Image: img, DependsOn: []taskdef.Dependency{{Container: "side", Condition: taskdef.Success}}}, {Name: "side", Image: img}}},
			"ECS016 Containers[0].DependsOn[0].Container=side: SUCCESS waits for side to exit"},
		{"docker volume on Fargate", taskdef.Props{Volumes: []taskdef.Volume{{Name: "d", Docker: &taskdef.DockerVolume{}}}, Containers: []taskdef.Container{{Image: img}}},
			"ECS005 Volumes[0].Docker=set: Fargate does not support Docker volumes"},
		{"no essential container", taskdef.Props{Containers: []taskdef.Container{{Image: img, NonEssential: true}}},
			"ECS019 Containers[0].NonEssential=every container nonessential"},
		{"restart period", taskdef.Props{Containers: []taskdef.Container{{Image: img, Restart: &taskdef.RestartPolicy{AttemptPeriod: time.Hour}}}},
			"ECS084 Containers[0].Restart.AttemptPeriod=3600 s"},
		{"cycle", taskdef.Props{Containers: []taskdef.Container{{Image: img, DependsOn: []taskdef.Dependency{{Container: "side", Condition: taskdef.Start}}},
			{Name: "side", Image: img, DependsOn: []taskdef.Dependency{{Container: "app", Condition: taskdef.Start}}}}},
			"ECS017 Containers[0]=app -> side -> app"},
		{"health check command", taskdef.Props{Containers: []taskdef.Container{{Image: img, HealthCheck: &taskdef.HealthCheck{Command: []string{"curl -f http://localhost/"}}}}},
			`ECS010 Containers[0].HealthCheck.Command[0]="curl -f http://localhost/": a health check command starts with "CMD"`},
		{"family name", taskdef.Props{Family: "app:v2", Containers: []taskdef.Container{{Image: img}}},
			"ECS053 Family=app:v2: a task definition family name is up to 255 letters, numbers, underscores and hyphens"},
		{"memory below the reservation", taskdef.Props{Launch: taskdef.EC2, Containers: []taskdef.Container{{Image: img, MemoryMiB: 256, MemoryReservationMiB: 512}}},
			"ECS089 Containers[0].MemoryMiB=256 MiB: the hard limit is below the container's MemoryReservationMiB (512)"},
		{"environment file extension", taskdef.Props{Containers: []taskdef.Container{{Image: img,
			EnvironmentFiles: []taskdef.EnvironmentFile{{Bucket: awss3.Bucket_FromBucketName(awscdk.NewStack(nil, nil, nil), jsii.String("B"), jsii.String("cfg")), Key: "prod/app.conf"}}}}},
			"ECS088 Containers[0].EnvironmentFiles[0].Key=prod/app.conf: an environment file has the .env file extension"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.task.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("want %q, got %v", c.want, err)
			}
		})
	}
}

// TestEFSVolume: an EFS volume through an access point: transit encryption and IAM
// authorization on, the task role allowed to mount and write that file system through that
// access point only, and the file system's security group open to the service on NFS.
func TestEFSVolume(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Efs"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
	fs := awsefs.NewFileSystem(stack, jsii.String("Data"), &awsefs.FileSystemProps{Vpc: c.VPC, Encrypted: jsii.Bool(true)})
	ap := fs.AddAccessPoint(jsii.String("App"), &awsefs.AccessPointOptions{Path: jsii.String("/app"),
		PosixUser: &awsefs.PosixUser{Uid: jsii.String("1000"), Gid: jsii.String("1000")},
		CreateAcl: &awsefs.Acl{OwnerUid: jsii.String("1000"), OwnerGid: jsii.String("1000"), Permissions: jsii.String("750")}})
	p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	p.Cluster = c.Cluster
	p.Task.Volumes = []taskdef.Volume{{Name: "data", EFS: &taskdef.EFSVolume{FileSystem: fs, AccessPoint: ap}}}
	p.Task.Containers[0].MountPoints = []taskdef.MountPoint{{Volume: "data", Path: "/data"}}
	webservice.New(stack, "Web", p)
	s := forgetest.Synth(t, app).Stack(t, "Efs")
	fsID := idOf(t, s, "AWS::EFS::FileSystem", "Data")
	apID := idOf(t, s, "AWS::EFS::AccessPoint", "Data")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	jsonEq(t, "volume", td["Volumes"], `[{"Name": "data", "EFSVolumeConfiguration": {"FilesystemId": {"Ref": "`+fsID+`"}, "TransitEncryption": "ENABLED",
		"AuthorizationConfig": {"AccessPointId": {"Ref": "`+apID+`"}, "IAM": "ENABLED"}}}]`)
	roleID := get(td, "TaskRoleArn", "Fn::GetAtt", "0")
	var grant any
	for _, r := range s.Template.Resources("AWS::IAM::Policy") {
		if strings.Contains(forgetestJSON(r), `"Ref":"`+roleID.(string)+`"`) {
			for _, st := range get(r, "Properties", "PolicyDocument", "Statement").([]any) {
				if strings.Contains(forgetestJSON(map[string]any{"s": st}), "elasticfilesystem") {
					grant = st
				}
			}
		}
	}
	jsonEq(t, "task role grant", grant, `{"Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], "Effect": "Allow",
		"Resource": {"Fn::GetAtt": ["`+fsID+`", "Arn"]},
		"Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": {"Fn::Join": ["", ["arn:aws:elasticfilesystem:eu-west-1:", {"Ref": "AWS::AccountId"}, ":access-point/", {"Ref": "`+apID+`"}]]}}}}`)
	nfs := false
	for _, r := range s.Template.Resources("AWS::EC2::SecurityGroupIngress") {
		p := r["Properties"].(map[string]any)
		if p["FromPort"] == float64(2049) && strings.HasPrefix(fmt.Sprint(get(p, "GroupId", "Fn::GetAtt", "0")), "DataEfsSecurityGroup") &&
			strings.HasPrefix(fmt.Sprint(get(p, "SourceSecurityGroupId", "Fn::GetAtt", "0")), "WebServiceSecurityGroup") {
			nfs = true
		}
	}
	if !nfs {
		t.Error("the file system's security group does not accept NFS from the service")
	}
	// An access point with a root directory of its own, and IAM without TLS, are violations.
	for _, e := range []struct {
		v    taskdef.EFSVolume
		want string
	}{
		{taskdef.EFSVolume{FileSystem: fs, AccessPoint: ap, RootDirectory: "/other"}, "ECS081 Volumes[0].EFS.RootDirectory=/other"},
		{taskdef.EFSVolume{FileSystem: fs, NoTransitEncryption: true}, "ECS081 Volumes[0].EFS.NoTransitEncryption=DISABLED: IAM authorization needs transit encryption"},
	} {
		bad := taskdef.Props{Volumes: []taskdef.Volume{{Name: "data", EFS: &e.v}}, Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil)}}}
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), e.want) {
			t.Errorf("want %q, got %v", e.want, err)
		}
	}
}

// TestEFSReadOnlyAndNoIAM: a task that mounts its EFS volume read-only gets ClientMount alone;
// with NoIAM there is no IAM authorization and no grant at all, and transit encryption stays on.
func TestEFSReadOnlyAndNoIAM(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("EfsModes"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	c := cluster.New(stack, "Cluster", cluster.Props{NATGateways: new(1)})
	fs := awsefs.NewFileSystem(stack, jsii.String("Data"), &awsefs.FileSystemProps{Vpc: c.VPC, Encrypted: jsii.Bool(true)})
	for id, e := range map[string]*taskdef.EFSVolume{"Reader": {FileSystem: fs}, "Open": {FileSystem: fs, NoIAM: true}} {
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Cluster = c.Cluster
		p.Task.Volumes = []taskdef.Volume{{Name: "data", EFS: e}}
		p.Task.Containers[0].MountPoints = []taskdef.MountPoint{{Volume: "data", Path: "/data", ReadOnly: id == "Reader"}}
		webservice.New(stack, id, p)
	}
	s := forgetest.Synth(t, app).Stack(t, "EfsModes")
	fsID := idOf(t, s, "AWS::EFS::FileSystem", "Data")
	for prefix, want := range map[string]struct{ volume, grant string }{
		"Reader": {`[{"Name": "data", "EFSVolumeConfiguration": {"FilesystemId": {"Ref": "` + fsID + `"}, "TransitEncryption": "ENABLED", "AuthorizationConfig": {"IAM": "ENABLED"}}}]`,
			`[{"Action": "elasticfilesystem:ClientMount", "Effect": "Allow", "Resource": {"Fn::GetAtt": ["` + fsID + `", "Arn"]}}]`},
		"Open": {`[{"Name": "data", "EFSVolumeConfiguration": {"FilesystemId": {"Ref": "` + fsID + `"}, "TransitEncryption": "ENABLED"}}]`, ""},
	} {
		td := byPrefix(t, s, "AWS::ECS::TaskDefinition", prefix)
		jsonEq(t, prefix+" volume", td["Volumes"], want.volume)
		grants := roleStatements(s, get(td, "TaskRoleArn", "Fn::GetAtt", "0").(string), "elasticfilesystem")
		if want.grant == "" {
			if len(grants) != 0 {
				t.Errorf("%s: EFS grants %v without IAM authorization", prefix, grants)
			}
			continue
		}
		jsonEq(t, prefix+" task role EFS statements", grants, want.grant)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
}

// TestFireLens: the containers' logs go through an AWS for Fluent Bit router to the task's log
// group; the router's own logs use awslogs; the task role may write to that log group.
func TestFireLens(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Firelens"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	p.Task.FireLens = &taskdef.FireLens{}
	webservice.New(stack, "Web", p)
	s := forgetest.Synth(t, app).Stack(t, "Firelens")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	logsID := idOf(t, s, "AWS::Logs::LogGroup", "WebTaskDefLogs")
	var router, main any
	for _, c := range td["ContainerDefinitions"].([]any) {
		switch get(c, "Name") {
		case taskdef.FireLensRouterName:
			router = c
		case "app":
			main = c
		}
	}
	if get(router, "Image") != taskdef.DefaultFireLensImage || get(router, "FirelensConfiguration", "Type") != "fluentbit" ||
		get(router, "LogConfiguration", "LogDriver") != "awslogs" || get(router, "Essential") != true {
		t.Errorf("router %v", router)
	}
	jsonEq(t, "app logging", get(main, "LogConfiguration"), `{"LogDriver": "awsfirelens", "Options": {"Name": "cloudwatch_logs", "region": "eu-west-1",
		"log_group_name": {"Ref": "`+logsID+`"}, "log_stream_prefix": "app/", "auto_create_group": "false"}}`)
	roleID := get(td, "TaskRoleArn", "Fn::GetAtt", "0").(string)
	granted := false
	for _, r := range s.Template.Resources("AWS::IAM::Policy") {
		j := forgetestJSON(r)
		if strings.Contains(j, `"Ref":"`+roleID+`"`) && strings.Contains(j, "logs:PutLogEvents") && strings.Contains(j, logsID) {
			granted = true
		}
	}
	if !granted {
		t.Error("the task role may not write to the task's log group")
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
	// A container port on FireLens's own port fails.
	bad := taskdef.Props{FireLens: &taskdef.FireLens{}, Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("fluentd"), nil), Ports: []taskdef.Port{{Port: 24224}}}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "ECS086 Containers[0].Ports[0].Port=24224: the FireLens router listens on this port inside the task") {
		t.Errorf("port 24224 with FireLens: %v", err)
	}
}

// TestLinuxParametersAndEnvironmentFiles: capabilities added and dropped, an environment file
// from S3 that the execution role may read (that object only), and the EC2-only parameters
// refused on Fargate.
func TestLinuxParametersAndEnvironmentFiles(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Linux"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	bucket := awss3.Bucket_FromBucketName(stack, jsii.String("Config"), jsii.String("app-config"))
	p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
	p.Task.Containers[0].AddCapabilities = []string{"SYS_PTRACE"}
	p.Task.Containers[0].DropCapabilities = []string{"NET_RAW"}
	p.Task.Containers[0].EnvironmentFiles = []taskdef.EnvironmentFile{{Bucket: bucket, Key: "prod/app.env"}}
	webservice.New(stack, "Web", p)
	s := forgetest.Synth(t, app).Stack(t, "Linux")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	c := td["ContainerDefinitions"].([]any)[0]
	jsonEq(t, "capabilities", get(c, "LinuxParameters", "Capabilities"), `{"Add": ["SYS_PTRACE"], "Drop": ["NET_RAW"]}`)
	jsonEq(t, "environment files", get(c, "EnvironmentFiles"), `[{"Type": "s3", "Value": "arn:aws:s3:::app-config/prod/app.env"}]`)
	// The execution role reads exactly that object, and finds its bucket's region.
	s3 := roleStatements(s, get(td, "ExecutionRoleArn", "Fn::GetAtt", "0").(string), "s3:")
	jsonEq(t, "the execution role's S3 statements", s3, `[{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::app-config/prod/app.env"},
		{"Action": "s3:GetBucketLocation", "Effect": "Allow", "Resource": "arn:aws:s3:::app-config"}]`)
	bad := taskdef.Props{Containers: []taskdef.Container{{Image: awsecs.ContainerImage_FromRegistry(jsii.String("nginx"), nil),
		AddCapabilities: []string{"NET_ADMIN"}, SharedMemoryMiB: 64, Tmpfs: []taskdef.Tmpfs{{Path: "/run", SizeMiB: 16}}}}}
	err := bad.Validate()
	for _, w := range []string{"ECS005 Containers[0].AddCapabilities=NET_ADMIN", "ECS005 Containers[0].SharedMemoryMiB=64", "ECS005 Containers[0].Tmpfs=1"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

// TestSidecarWebService: the example's read-only root filesystem with writable bind mounts
// (including the SSM agent's, so ECS Exec works and ECS075 stays quiet), the EFS data volume,
// the health-gated sidecar and FireLens.
func TestSidecarWebService(t *testing.T) {
	s := examples(t).Stack(t, "SidecarWebService")
	_, svc := resource(t, s, "AWS::ECS::Service")
	_, td := resource(t, s, "AWS::ECS::TaskDefinition")
	if svc["EnableExecuteCommand"] != true {
		t.Error("ECS Exec is off")
	}
	byName := map[string]any{}
	for _, c := range td["ContainerDefinitions"].([]any) {
		byName[get(c, "Name").(string)] = c
	}
	web := byName["web"]
	paths := map[string]bool{}
	for _, m := range anySlice(get(web, "MountPoints")) {
		if get(m, "ReadOnly") == false {
			paths[get(m, "ContainerPath").(string)] = true
		}
	}
	for _, p := range append([]string{"/tmp", "/var/cache/nginx", "/var/run", "/data"}, rules.ExecAgentPaths...) {
		if !paths[p] {
			t.Errorf("no writable mount at %s: %v", p, get(web, "MountPoints"))
		}
	}
	if get(web, "ReadonlyRootFilesystem") != true || get(web, "LogConfiguration", "LogDriver") != "awsfirelens" {
		t.Errorf("web container %v", web)
	}
	jsonEq(t, "start order", get(web, "DependsOn"), `[{"ContainerName": "config", "Condition": "HEALTHY"}]`)
	if byName[taskdef.FireLensRouterName] == nil || get(byName["config"], "HealthCheck") == nil {
		t.Errorf("router %v, sidecar %v", byName[taskdef.FireLensRouterName], byName["config"])
	}
	efs := 0
	for _, v := range td["Volumes"].([]any) {
		if get(v, "EFSVolumeConfiguration", "TransitEncryption") == "ENABLED" && get(v, "EFSVolumeConfiguration", "AuthorizationConfig", "IAM") == "ENABLED" {
			efs++
		}
	}
	if efs != 1 {
		t.Errorf("%d encrypted, IAM-authorized EFS volumes, want 1", efs)
	}
	if fs := rules.Lint(mustParse(t, s)); len(fs) != 0 {
		t.Errorf("rule engine findings: %v", fs)
	}
}

// TestFireLensOutputs: with a Firehose delivery stream or an S3 bucket as the output, the
// containers' FireLens options name it and the task role may write to it: PutRecord(Batch) on
// that stream, PutObject in that bucket, nothing else.
func TestFireLensOutputs(t *testing.T) {
	app := forgetest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Outputs"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	stream := awskinesisfirehose.DeliveryStream_FromDeliveryStreamName(stack, jsii.String("Stream"), jsii.String("app-logs"))
	bucket := awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("app-log-archive"))
	for id, fl := range map[string]*taskdef.FireLens{"ToFirehose": {Firehose: stream}, "ToS3": {S3: bucket}} {
		p := webservice.Image("public.ecr.aws/nginx/nginx:1.27")
		p.Task.FireLens = fl
		webservice.New(stack, id, p)
	}
	s := forgetest.Synth(t, app).Stack(t, "Outputs")
	for prefix, want := range map[string]struct {
		options   []string
		statement string
	}{
		"ToFirehose": {[]string{`"Name":"kinesis_firehose"`, `"delivery_stream":"app-logs"`},
			`[{"Action":["firehose:PutRecord","firehose:PutRecordBatch"],"Effect":"Allow","Resource":{"Fn::Join":["",["arn:aws:firehose:eu-west-1:",{"Ref":"AWS::AccountId"},":deliverystream/app-logs"]]}}]`},
		"ToS3": {[]string{`"Name":"s3"`, `"bucket":"app-log-archive"`},
			`[{"Action":"s3:PutObject","Effect":"Allow","Resource":"arn:aws:s3:::app-log-archive/*"}]`},
	} {
		td := byPrefix(t, s, "AWS::ECS::TaskDefinition", prefix)
		j := forgetestJSON(td)
		for _, w := range want.options {
			if !strings.Contains(j, w) {
				t.Errorf("%s lacks %s", prefix, w)
			}
		}
		// The task role may write to that output and do nothing else.
		statements := roleStatements(s, get(td, "TaskRoleArn", "Fn::GetAtt", "0").(string), "")
		if got, _ := json.Marshal(statements); string(got) != want.statement {
			t.Errorf("%s task role statements\n got %s\nwant %s", prefix, got, want.statement)
		}
	}
}

// roleStatements are the statements of the stack's policies attached to role roleID whose text
// contains substr ("" for all).
func roleStatements(s forgetest.Stack, roleID, substr string) []any {
	var out []any
	for _, r := range s.Template.Resources("AWS::IAM::Policy") {
		if !strings.Contains(fmt.Sprint(get(r, "Properties", "Roles")), "Ref:"+roleID) {
			continue
		}
		for _, st := range get(r, "Properties", "PolicyDocument", "Statement").([]any) {
			if strings.Contains(fmt.Sprint(st), substr) {
				out = append(out, st)
			}
		}
	}
	return out
}
