// commands.hpp — the subcommands of `nmt`, one file each (app/cmd_*.cpp).
//
// Each takes the arguments after its name and returns the process exit code; errors
// are thrown (ConfigError for bad options) and reported by main().
#pragma once

#include <string>
#include <vector>

namespace nmt {

using Arguments = std::vector<std::string>;

int run_train(const Arguments& arguments);
int run_translate(const Arguments& arguments);
int run_serve(const Arguments& arguments);
int run_evaluate(const Arguments& arguments);
int run_vocab(const Arguments& arguments);
int run_generate(const Arguments& arguments);
int run_info(const Arguments& arguments);
int run_average(const Arguments& arguments);
int run_shortlist(const Arguments& arguments);

}  // namespace nmt
