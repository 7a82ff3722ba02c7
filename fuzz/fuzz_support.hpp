// fuzz_support.hpp — what the fuzz targets share: a tiny real model, scratch files and
// the property check that turns a broken invariant into a crash libFuzzer reports.
//
// Every target defines LLVMFuzzerTestOneInput (libFuzzer's entry point). The same
// source links either with libFuzzer (-DNMT_FUZZ=ON, clang) or with replay_main.cpp,
// which runs a corpus directory through it as a ctest (fuzz/CMakeLists.txt).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "formats/safetensors.hpp"

namespace nmt::fuzz {

// Aborts with `what` on stderr when `condition` is false: a property of the code under
// test was broken (a crash for libFuzzer, a failure for the replay test).
void require(bool condition, std::string_view what);

// The bytes of a small but complete nmt model file (real SentencePiece models trained
// on a slice of the quickstart corpus without a normalization table, a 2-layer network
// with random weights, the language pair en → de), made once per process.
const std::string& tiny_model_file();

// A container's metadata without the keys write_container adds itself (format,
// format_version, checksum), and its tensors viewing its bytes: what it takes to write
// the container again with a change.
std::map<std::string, std::string> rewritable_metadata(const Container& container);
std::vector<TensorToWrite> tensors_of(const Container& container);

// A file of this process's own under $TMPDIR (default /tmp), removed on destruction.
class ScratchFile {
 public:
  explicit ScratchFile(std::string_view suffix);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }
  void write(std::string_view bytes) const;  // replaces the content

 private:
  std::string path_;
};

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace nmt::fuzz
