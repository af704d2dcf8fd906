/**
 * @module T1 at several load sizes: the same mix scaled to each socket total,
 * each in a fresh namespace, to show whether the cost grows linearly.
 */
import { SCALING_TASK_ID, TASKS } from "./commands.js";
import { total } from "./load/counts.js";
import { type Mix, scaleMix } from "./load/plan.js";
import { progress, thousands } from "./progress.js";
import { closeSession, openSession } from "./session.js";
import { type Linearity, linearity } from "./stats.js";
import { runTask, type TaskResult } from "./tasks.js";

export interface ScalingPoint {
  /** Requested socket total. */
  size: number;
  /** Sockets counted before timing. */
  sockets: number;
  mix: Mix;
  buildMs: number;
  task: TaskResult;
}

export interface ScalingResult {
  taskId: string;
  points: ScalingPoint[];
  /** Per tool, over the points where it ran every time. */
  linearity: Record<string, Linearity>;
}

export async function runScaling(
  ns: string,
  base: Mix,
  sizes: number[],
  runs: number,
): Promise<ScalingResult> {
  const task = TASKS.find((t) => t.id === SCALING_TASK_ID)!;
  const points: ScalingPoint[] = [];
  for (const size of sizes) {
    const mix = scaleMix(base, size);
    progress(`scaling ${task.id} at ${thousands(size)} sockets`);
    const session = await openSession(ns, mix);
    try {
      const result = await runTask(session, task, runs);
      points.push({
        size,
        sockets: total(result.countsBefore),
        mix,
        buildMs: session.load.buildMs,
        task: result,
      });
    } finally {
      closeSession(session);
    }
  }
  const byTool: Record<string, Linearity> = {};
  const tools = points[0]?.task.rows.map((r) => r.tool) ?? [];
  for (const [i, tool] of tools.entries()) {
    const rows = points.map((p) => p.task.rows[i]!);
    if (rows.every((r) => r.medianMs !== undefined)) {
      byTool[tool] = linearity(
        points.map((p) => p.sockets),
        rows.map((r) => r.medianMs!),
      );
    }
  }
  return { taskId: task.id, points, linearity: byTool };
}
