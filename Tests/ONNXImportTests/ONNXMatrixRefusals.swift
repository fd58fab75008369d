/// The cells of the exporters' matrix (`Fixtures/onnx/matrix/`) that lstmc refuses, each with its
/// refusal message. Written by `LSTMC_RECORD_MATRIX_REFUSALS=1 swift test --filter recordRefusals`;
/// checked both ways by ``ONNXMatrixTests``.
enum ONNXMatrixRefusals {
  static let expected: [String: String] = [
    "dynamo_gru_bi_l2_bf_hn_flat":
      "the graph is not supported yet: node 'node_linear' (Gemm): the final states of several layers can only be a graph output",
    "dynamo_gru_uni_l2_hn_flat":
      "the graph is not supported yet: node 'node_linear' (Gemm): the final states of several layers can only be a graph output",
    "dynamo_lstm_bi_l2_bf_hn_flat":
      "the graph is not supported yet: node 'node_linear' (Gemm): the final states of several layers can only be a graph output",
    "dynamo_lstm_bi_l3_bf_h0_hn_flat":
      "the graph is not supported yet: node 'node_linear' (Gemm): the final states of several layers can only be a graph output",
    "dynamo_lstm_uni_l2_hn_flat":
      "the graph is not supported yet: node 'node_linear' (Gemm): the final states of several layers can only be a graph output",
    "dynamo_lstm_uni_l3_h0_hn_flat":
      "the graph is not supported yet: node 'node_linear' (Gemm): the final states of several layers can only be a graph output",
    "k3_gru_bidi_ave_seq_dense":
      "node 'sequential_1/bidirectional_1/forward_gru_1/while_loop' is a Loop: recurrences written as ONNX control flow (tf2onnx writes one for masked or unusual Keras LSTMs and GRUs, e.g. a GRU with reset_after=False) are not supported; export a model that uses the LSTM or GRU op",
    "k3_gru_bidi_concat_seq_dense":
      "node 'sequential_1/bidirectional_1/forward_gru_1/while_loop' is a Loop: recurrences written as ONNX control flow (tf2onnx writes one for masked or unusual Keras LSTMs and GRUs, e.g. a GRU with reset_after=False) are not supported; export a model that uses the LSTM or GRU op",
    "k3_gru_bidi_sum_last_dense":
      "node 'sequential_1/bidirectional_1/forward_gru_1/while_loop' is a Loop: recurrences written as ONNX control flow (tf2onnx writes one for masked or unusual Keras LSTMs and GRUs, e.g. a GRU with reset_after=False) are not supported; export a model that uses the LSTM or GRU op",
    "k3_gru_gb_seq_td":
      "node 'sequential_1/gru_1/while_loop' is a Loop: recurrences written as ONNX control flow (tf2onnx writes one for masked or unusual Keras LSTMs and GRUs, e.g. a GRU with reset_after=False) are not supported; export a model that uses the LSTM or GRU op",
    "k3_lstm_emb_last_dense":
      "the graph is not supported yet: node 'sequential_1/embedding_1/add' (Add): arithmetic on the integer index input is not supported (Keras 3's Embedding wraps negative indices this way); an Embedding must read the indices as they are",
    "ts_gru_bi_l2_bf_hn_flat":
      "the graph is not supported yet: node '/fc/Gemm' (Gemm): the final states of several layers can only be a graph output",
    "ts_gru_uni_l2_hn_flat":
      "the graph is not supported yet: node '/fc/Gemm' (Gemm): the final states of several layers can only be a graph output",
    "ts_lstm_bi_l2_bf_hn_flat":
      "the graph is not supported yet: node '/fc/Gemm' (Gemm): the final states of several layers can only be a graph output",
    "ts_lstm_bi_l3_bf_h0_hn_flat":
      "the graph is not supported yet: node '/fc/Gemm' (Gemm): the final states of several layers can only be a graph output",
    "ts_lstm_uni_l2_hn_flat":
      "the graph is not supported yet: node '/fc/Gemm' (Gemm): the final states of several layers can only be a graph output",
    "ts_lstm_uni_l3_h0_hn_flat":
      "the graph is not supported yet: node '/fc/Gemm' (Gemm): the final states of several layers can only be a graph output",
  ]
}
