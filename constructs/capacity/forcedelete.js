// Custom resource handler of ecsforge EC2 capacity: it deletes the Auto Scaling group with
// ForceDelete, so that scale-in protected instances do not hang the deletion, but only while the
// whole stack is being deleted (or a failed create is rolled back). When the resource alone
// leaves the template (a changed prop, a new logical ID, an update rollback), it does nothing.
const https = require('https');

// FORCE lists the stack statuses in which every resource of the stack is being deleted.
const FORCE = ['DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'];

// decide returns 'force-delete' or 'keep' for a request, given its stack's status.
function decide(event, stackStatus) {
  return event.RequestType === 'Delete' && FORCE.includes(stackStatus) ? 'force-delete' : 'keep';
}

// run carries out a request with the given SDK clients and returns what it did.
async function run(event, clients) {
  let status;
  if (event.RequestType === 'Delete') {
    const out = await clients.cloudformation.describeStacks({ StackName: event.StackId });
    status = out.Stacks && out.Stacks[0] && out.Stacks[0].StackStatus;
  }
  const action = decide(event, status);
  if (action === 'force-delete') {
    const name = event.ResourceProperties.AutoScalingGroupName;
    try {
      await clients.autoscaling.deleteAutoScalingGroup({ AutoScalingGroupName: name, ForceDelete: true });
    } catch (e) {
      if (!/not found/i.test(String(e.message))) throw e; // already gone
    }
  }
  return { action, status: status || 'not read' };
}

function respond(event, reason) {
  const body = JSON.stringify({
    Status: 'SUCCESS', Reason: reason.slice(0, 1000),
    PhysicalResourceId: event.PhysicalResourceId || event.LogicalResourceId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve, reject) => {
    const req = https.request(event.ResponseURL, {
      method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

exports.handler = async (event) => {
  let reason;
  try {
    const { CloudFormation } = require('@aws-sdk/client-cloudformation');
    const { AutoScaling } = require('@aws-sdk/client-auto-scaling');
    const r = await run(event, { cloudformation: new CloudFormation({}), autoscaling: new AutoScaling({}) });
    reason = `${r.action} (stack ${r.status})`;
  } catch (e) {
    // Never fail the stack operation: CloudFormation's own deletion of the group still runs.
    reason = `not force-deleted: ${e.message}`;
  }
  console.log(JSON.stringify({ RequestType: event.RequestType, reason }));
  await respond(event, reason);
};
exports.decide = decide;
exports.run = run;
