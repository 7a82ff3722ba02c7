// search_config.hpp — typed settings of decoding (greedy or beam search).
#pragma once

namespace nmt {

struct SearchConfig {
  int beam_size = 5;               // 1 = greedy
  double length_penalty = 1.0;     // alpha: hypotheses ranked by score / length^alpha
  double max_length_ratio = 1.5;   // output at most ratio * source length + max_length_extra
  int max_length_extra = 10;
  int nbest = 1;                   // hypotheses returned per sentence (<= beam_size)
  int batch_size = 64;             // sentences translated together
};

}  // namespace nmt
