// Drives the npm MLflow client (mlflow 2.0.7, third party) against a Stepwise service, unchanged.
// Environment: MLFLOW_TRACKING_URI, MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (a person who
// may create experiments), MLFLOW_TRACKING_TOKEN (a write API key of project TOKEN_EXPERIMENT_ID),
// EXPERIMENT_NAME. Prints one line "RESULT {...}" with the ids it created; exits non-zero on failure.
'use strict';
const assert = require('node:assert/strict');
const MLflow = require('mlflow').default || require('mlflow');

const endpoint = process.env.MLFLOW_TRACKING_URI;
const basic = Buffer.from(`${process.env.MLFLOW_TRACKING_USERNAME}:${process.env.MLFLOW_TRACKING_PASSWORD}`)
  .toString('base64');
const person = new MLflow({ endpoint, headers: { Authorization: `Basic ${basic}` } });
const trainer = new MLflow({ endpoint, headers: { Authorization: `Bearer ${process.env.MLFLOW_TRACKING_TOKEN}` } });

// The client throws Error(JSON.stringify({status, statusText, data})) for anything but HTTP 200.
async function rejected(promise) {
  try {
    await promise;
  } catch (e) {
    return JSON.parse(String(e.message).replace(/^Error: /, ''));
  }
  assert.fail('expected the call to fail');
}

async function main() {
  const { Experiments, Runs, Metrics, Artifacts } = person;
  const name = process.env.EXPERIMENT_NAME;

  const { experiment_id: experimentId } = await Experiments.create({ name });
  const { experiment } = await Experiments.get({ experiment_id: experimentId });
  assert.equal(experiment.name, name);
  assert.equal(experiment.lifecycle_stage, 'active');
  const { experiments } = await Experiments.list();
  assert.ok(experiments.some(e => e.experiment_id === experimentId), 'experiments/list shows the new experiment');

  const { run } = await Runs.create({
    experiment_id: experimentId,
    start_time: Date.now(),
    tags: [{ key: 'mlflow.runName', value: 'npm-baseline' }, { key: 'team', value: 'vision' }],
  });
  const runId = run.info.run_id;
  assert.equal(run.info.status, 'RUNNING');
  assert.equal(run.info.run_name, 'npm-baseline');

  await Runs.logParameter({ run_id: runId, key: 'lr', value: '0.01' });
  await Runs.logParameter({ run_id: runId, key: 'lr', value: '0.01' });
  const changed = await rejected(Runs.logParameter({ run_id: runId, key: 'lr', value: '0.02' }));
  assert.equal(changed.status, 400);
  assert.equal(changed.data.error_code, 'INVALID_PARAMETER_VALUE');

  const t0 = 1_700_000_000_000;
  const losses = [2.5, 1.75, 1.2, 0.9, 0.75];
  for (let step = 0; step < losses.length; step++) {
    await Runs.logMetric({ run_id: runId, key: 'loss', value: losses[step], timestamp: t0 + step * 1000, step });
  }
  await Runs.logBatch({
    run_id: runId,
    metrics: Array.from({ length: 10 }, (_, step) => ({
      key: 'acc', value: step === 3 ? 'NaN' : 0.5 + step / 20, timestamp: t0 + step * 1000, step,
    })),
    params: [{ key: 'batch_size', value: '32' }],
    tags: [{ key: 'stage', value: 'train' }],
  });
  await Runs.setTag({ run_id: runId, key: 'temporary', value: 'yes' });
  await Runs.deleteTag({ run_id: runId, key: 'temporary' });
  await Runs.update({ run_id: runId, status: 'FINISHED', end_time: Date.now() });

  const read = (await Runs.get({ run_id: runId })).run;
  assert.equal(read.info.status, 'FINISHED');
  const params = Object.fromEntries(read.data.params.map(p => [p.key, p.value]));
  assert.deepEqual(params, { batch_size: '32', lr: '0.01' });
  const tags = Object.fromEntries(read.data.tags.map(t => [t.key, t.value]));
  assert.equal(tags.team, 'vision');
  assert.equal(tags.stage, 'train');
  assert.equal(tags['mlflow.runName'], 'npm-baseline');
  assert.equal(tags.temporary, undefined);
  const latest = Object.fromEntries(read.data.metrics.map(m => [m.key, m]));
  assert.equal(latest.loss.value, 0.75);
  assert.equal(latest.loss.step, 4);
  assert.equal(latest.acc.step, 9);

  const { metrics: history } = await Metrics.getHistory({ run_id: runId, metric_key: 'loss' });
  assert.deepEqual(history.map(m => m.value), losses);
  assert.deepEqual(history.map(m => m.timestamp), losses.map((_, i) => t0 + i * 1000));
  const acc = (await Metrics.getHistory({ run_id: runId, metric_key: 'acc' })).metrics;
  assert.equal(acc.length, 10);
  assert.equal(acc[3].value, 'NaN');

  const other = (await Runs.create({ experiment_id: experimentId, tags: [{ key: 'mlflow.runName', value: 'npm-high-lr' }] }))
    .run.info.run_id;
  await Runs.logBatch({
    run_id: other,
    metrics: [{ key: 'loss', value: 5, timestamp: t0, step: 0 }],
    params: [{ key: 'lr', value: '0.1' }],
  });

  const byParam = (await Runs.search({ experiment_ids: [experimentId], filter: "params.lr = '0.01'" })).runs;
  assert.deepEqual(byParam.map(r => r.info.run_id), [runId]);
  const byMetric = (await Runs.search({ experiment_ids: [experimentId], filter: 'metrics.loss > 1' })).runs;
  assert.deepEqual(byMetric.map(r => r.info.run_id), [other]);
  const both = (await Runs.search({
    experiment_ids: [experimentId],
    filter: "params.lr = '0.01' and metrics.loss < 1 and tags.team = 'vision' and attributes.status = 'FINISHED'",
  })).runs;
  assert.deepEqual(both.map(r => r.info.run_id), [runId]);
  const ordered = (await Runs.search({ experiment_ids: [experimentId], order_by: ['metrics.loss DESC'], max_results: 1 }));
  assert.deepEqual(ordered.runs.map(r => r.info.run_id), [other]);
  assert.ok(ordered.next_page_token, 'a second page is announced');

  const { files } = await Artifacts.list({ run_id: runId });
  assert.deepEqual(files, []);

  // A trainer with a write API key (MLFLOW_TRACKING_TOKEN) logs to the project of its key.
  const keyExperiment = process.env.TOKEN_EXPERIMENT_ID;
  const seen = (await trainer.Experiments.list()).experiments.map(e => e.experiment_id);
  assert.deepEqual(seen, [keyExperiment]);
  const keyRun = (await trainer.Runs.create({ experiment_id: keyExperiment })).run.info.run_id;
  await trainer.Runs.logMetric({ run_id: keyRun, key: 'loss', value: 'Infinity', timestamp: t0, step: 0 });
  const hidden = await rejected(trainer.Runs.get({ run_id: runId }));
  assert.equal(hidden.status, 404);
  assert.equal(hidden.data.error_code, 'RESOURCE_DOES_NOT_EXIST');

  console.log('RESULT ' + JSON.stringify({ experimentId, runId, other, keyRun }));
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
