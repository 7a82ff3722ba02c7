// fuzz_container.cpp — fuzz target: bytes of a model file or checkpoint.
//
// Covers the container (length prefix, JSON header, metadata, tensor table, offsets,
// checksum) and then, for a file that passes, the model loader (metadata ranges,
// vocabularies, shapes, weights). Each input runs twice: as it is, and with its checksum
// recomputed (zlib's CRC-32 over the header with its digits as "00000000", then the
// data), so mutations reach the checks behind the checksum. Property: the only error
// is FileFormatError; anything else (another exception, a crash) is a bug.
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "formats/model_file.hpp"
#include "formats/safetensors.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

// `file` with the checksum digits its header holds replaced by the right ones; unchanged
// if it has no complete header or no checksum.
std::string with_checksum_repaired(std::string file) {
  if (file.size() < 8) return file;
  std::uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = header_size << 8 | static_cast<unsigned char>(file[i]);
  if (header_size > file.size() - 8) return file;
  const std::string key = "\"checksum\":\"";
  const std::size_t at = file.substr(8, header_size).find(key);
  if (at == std::string::npos || at + key.size() + 8 > header_size) return file;
  const std::size_t digits = 8 + at + key.size();
  std::memcpy(&file[digits], "00000000", 8);
  const auto* bytes = reinterpret_cast<const Bytef*>(file.data());
  const uLong crc = crc32(crc32(0, bytes + 8, static_cast<uInt>(header_size)), bytes + 8 + header_size,
                          static_cast<uInt>(file.size() - 8 - header_size));
  const std::string hex = fmt::format("{:08x}", crc);
  std::memcpy(&file[digits], hex.data(), 8);
  return file;
}

void load(std::string bytes) {
  try {
    const nmt::Container container = nmt::Container::parse("fuzz.nmt", std::move(bytes));
    const nmt::LoadedModel model = nmt::load_model(container);
    nmt::fuzz::require(model.parameters.size() == model.network->layout().total_size(), "weights fill the layout");
    const auto ids = model.vocabularies.source.encode("one hundred and two");
    model.vocabularies.source.decode(ids);
  } catch (const nmt::FileFormatError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(nmt::fuzz::as_text(data, size));
  load(bytes);
  load(with_checksum_repaired(bytes));
  return 0;
}
