// safetensors.hpp — nmt's file container: safetensors with a format name, a version and
// a checksum in its metadata.
//
// Layout (https://github.com/huggingface/safetensors): an 8-byte little-endian header
// length N, N bytes of JSON {"__metadata__": {string: string}, NAME: {"dtype", "shape",
// "data_offsets"}, ...} padded with spaces, then the tensors' bytes back to back. Any
// safetensors reader (Python's safetensors, numpy by hand) can open nmt's files.
// nmt adds three metadata keys: "format" = "nmt" (the magic), "format_version", and
// "checksum", the CRC-32 of the header (with the checksum's own digits read as
// "00000000") followed by all tensor bytes.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

constexpr int kFileFormatVersion = 1;

// Why a file could not be read; the message names the file.
class FileFormatError : public std::runtime_error {
 public:
  enum class Kind { unreadable, not_nmt, wrong_version, truncated, corrupted };
  FileFormatError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One tensor to write: dtype "F32" (float), "I32" (int32) or "U8" (bytes), row-major,
// little-endian.
struct TensorToWrite {
  std::string name;
  std::string dtype;
  std::vector<std::int64_t> shape;
  const void* data = nullptr;
  std::size_t bytes = 0;
};

// Writes atomically (temporary file, fsync, rename, directory fsync); the metadata
// gains format, format_version and checksum. Throws std::invalid_argument, before
// writing, for a metadata key or value or a tensor name that is not valid UTF-8, and
// std::runtime_error on I/O failure.
void write_container(const std::string& path, std::map<std::string, std::string> metadata,
                     const std::vector<TensorToWrite>& tensors);

// A whole container read into memory and verified.
class Container {
 public:
  // Throws FileFormatError: unreadable (missing, I/O), not_nmt (not a safetensors file,
  // or one nmt did not write), wrong_version, truncated, corrupted (checksum mismatch
  // or inconsistent header).
  static Container read(const std::string& path);
  // The same checks on the bytes of a file already in memory; `path` names it in errors.
  static Container parse(const std::string& path, std::string bytes);

  const std::string& path() const { return path_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // A metadata value; throws FileFormatError (corrupted) naming the key if absent.
  const std::string& meta(const std::string& key) const;
  // A numeric metadata value; throws FileFormatError (corrupted) naming the key if it is
  // absent or not a number.
  double meta_number(const std::string& key) const;
  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  std::vector<std::string> tensor_names() const;
  const std::vector<std::int64_t>& shape(const std::string& name) const;
  const std::string& dtype(const std::string& name) const;
  // The raw bytes of a tensor; throws FileFormatError (corrupted) if it is absent.
  std::string_view bytes(const std::string& name) const;
  // Copies an F32 tensor of exactly `count` values into `out`; throws if the dtype or
  // size differ.
  void copy_floats(const std::string& name, float* out, std::size_t count) const;
  // The same for an I32 tensor.
  void copy_int32s(const std::string& name, std::int32_t* out, std::size_t count) const;
  std::size_t file_size() const { return content_.size(); }

 private:
  struct Entry {
    std::string dtype;
    std::vector<std::int64_t> shape;
    std::size_t begin = 0, end = 0;  // absolute offsets in content_
  };
  const Entry& entry(const std::string& name) const;

  std::string path_;
  std::string content_;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, Entry> tensors_;
};

}  // namespace nmt
