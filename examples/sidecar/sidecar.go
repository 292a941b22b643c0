// Package sidecar holds the task definition example: a web service whose task has a read-only
// root filesystem with writable bind mounts, ECS Exec, an EFS data volume, a sidecar that must
// be healthy before the app starts, and FireLens log routing.
package sidecar

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsefs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ecsforge/ecsforge/examples/internal/exstack"

	"github.com/ecsforge/ecsforge/constructs/cluster"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/patterns/webservice"
)

// WebService runs nginx with a read-only root filesystem: /tmp, nginx's cache and run
// directories and the SSM agent's directories (for ECS Exec) are writable bind mounts, /data is
// an EFS file system through an access point, a config sidecar must pass its health check
// before nginx starts, and every container logs through a FireLens router to the task's log
// group.
func WebService(scope constructs.Construct) awscdk.Stack {
	stack := exstack.New(scope, "SidecarWebService")
	c := cluster.New(stack, "Cluster", cluster.Props{})
	fs := awsefs.NewFileSystem(stack, jsii.String("Data"), &awsefs.FileSystemProps{
		Vpc: c.VPC, Encrypted: jsii.Bool(true), RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	ap := fs.AddAccessPoint(jsii.String("Web"), &awsefs.AccessPointOptions{
		Path:      jsii.String("/web"),
		PosixUser: &awsefs.PosixUser{Uid: jsii.String("101"), Gid: jsii.String("101")},
		CreateAcl: &awsefs.Acl{OwnerUid: jsii.String("101"), OwnerGid: jsii.String("101"), Permissions: jsii.String("750")},
	})
	execVolumes, execMounts := taskdef.ExecWritable()
	img := func(ref string) awsecs.ContainerImage {
		return awsecs.ContainerImage_FromRegistry(jsii.String(ref), nil)
	}
	p := webservice.Props{
		Cluster: c.Cluster,
		Task: taskdef.Props{
			CPU: 512, MemoryMiB: 1024,
			Volumes: append([]taskdef.Volume{
				{Name: "tmp"}, {Name: "cache"}, {Name: "run"},
				{Name: "data", EFS: &taskdef.EFSVolume{FileSystem: fs, AccessPoint: ap}},
			}, execVolumes...),
			FireLens: &taskdef.FireLens{},
			Containers: []taskdef.Container{
				{
					Name: "web", Image: img("public.ecr.aws/nginx/nginx:1.27"),
					Ports:                  []taskdef.Port{{Port: 80, Name: "http"}},
					ReadonlyRootFilesystem: true,
					MountPoints: append([]taskdef.MountPoint{
						{Volume: "tmp", Path: "/tmp"}, {Volume: "cache", Path: "/var/cache/nginx"}, {Volume: "run", Path: "/var/run"},
						{Volume: "data", Path: "/data"},
					}, execMounts...),
					DependsOn: []taskdef.Dependency{{Container: "config", Condition: taskdef.Healthy}},
				},
				{
					Name: "config", Image: img("public.ecr.aws/docker/library/busybox:1.37"),
					Command:              []string{"sh", "-c", "touch /tmp/ready && sleep infinity"},
					HealthCheck:          &taskdef.HealthCheck{Command: []string{"CMD-SHELL", "test -f /tmp/ready"}},
					MemoryReservationMiB: 32,
				},
			},
		},
	}
	p.Service.EnableExec = true
	webservice.New(stack, "Web", p)
	return stack
}
