// `prefkit model info DIR`: architecture and parameter counts of a checkpoint folder.
import { loadModel } from '../models/load-save.js';
import { countParams, namedParams } from '../nn/params.js';

export interface ModelInfo {
  dir: string;
  modelType: string;
  architecture: Record<string, unknown>;
  parameters: number;
  tensors: number;
  tokenizerFiles: string[];
}

export function modelInfo(dir: string): ModelInfo {
  const model = loadModel(dir);
  const c = model.config;
  return {
    dir: model.dir,
    modelType: c.modelType,
    architecture: {
      vocab_size: c.vocabSize, hidden: c.hidden, layers: c.layers, heads: c.heads, kv_heads: c.kvHeads, head_dim: c.headDim,
      intermediate: c.intermediate, norm: c.norm, norm_eps: c.normEps, positions: c.positions, rope_theta: c.ropeTheta,
      rope_scaling: c.ropeScaling, max_positions: c.maxPositions, mlp: c.mlp, activation: c.activation,
      tie_embeddings: c.tieEmbeddings, reward_head: Boolean(model.params.score),
    },
    parameters: countParams(model.params),
    tensors: namedParams(model.params).length,
    tokenizerFiles: Object.keys(model.tokenizerFiles),
  };
}
