// The architecture-neutral decoder description every model type's config.json is parsed into.

export interface RopeScaling {
  /** 'llama3' scaling of the inverse frequencies (Llama 3.1+); 'linear' divides positions by factor. */
  type: 'llama3' | 'linear';
  factor: number;
  lowFreqFactor?: number;
  highFreqFactor?: number;
  originalMaxPositions?: number;
}

export interface DecoderConfig {
  modelType: string;
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  /** 'rms' (Llama family) or 'layer' (GPT-2). */
  norm: 'rms' | 'layer';
  normEps: number;
  /** 'rope' (Llama family) or 'learned' absolute positions (GPT-2). */
  positions: 'rope' | 'learned';
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  maxPositions: number;
  /** Gated MLP down(act(gate(x)) * up(x)) (Llama) or plain down(act(up(x))) (GPT-2). */
  mlp: 'gated' | 'plain';
  activation: 'silu' | 'gelu_tanh';
  qkvBias: boolean;
  oBias: boolean;
  mlpBias: boolean;
  tieEmbeddings: boolean;
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
  padTokenId: number | null;
  /**
   * Mistral's sliding_window (Qwen2's when use_sliding_window): in the HF model a token attends to at
   * most this many positions. prefkit does not implement the window, so a context longer than it is
   * refused rather than computed differently. Absent or null: full causal attention.
   */
  slidingWindow?: number | null;
}
