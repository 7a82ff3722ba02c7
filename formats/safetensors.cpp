// safetensors.cpp — writing and verifying nmt's safetensors container; the header JSON is
// written and parsed with nlohmann-json.
//
// The written header is compact JSON in a fixed key order — "__metadata__" first (its
// keys sorted, "checksum" last), then the tensors in the order given, each as
// {"dtype","shape","data_offsets"} — padded with spaces to a multiple of 8 bytes. That
// is byte for byte what nmt wrote before it used nlohmann-json, and the checksum covers
// exactly those bytes, so old and new files verify the same way.
#include "formats/safetensors.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "data/text_writer.hpp"
#include "data/utf8.hpp"
#include "formats/json_error.hpp"

namespace nmt {
namespace {

constexpr std::string_view kChecksumKey = "\"checksum\":\"";
constexpr std::string_view kChecksumPlaceholder = "00000000";
constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;

std::uint32_t crc_update(std::uint32_t crc, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const Bytef*>(data);
  while (size > 0) {  // zlib takes 32-bit lengths
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = static_cast<std::uint32_t>(crc32(crc, bytes, chunk));
    bytes += chunk;
    size -= chunk;
  }
  return crc;
}

std::size_t dtype_size(const std::string& dtype) {
  if (dtype == "F32") return 4;
  if (dtype == "U8") return 1;
  if (dtype == "I32") return 4;
  return 0;
}

void little_endian_u64(std::uint64_t value, char out[8]) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint64_t read_u64(const std::string& content) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(content[i]);
  return value;
}

// --- writing -------------------------------------------------------------------------

void check_sizes(const std::vector<TensorToWrite>& tensors) {
  for (const auto& tensor : tensors) {
    std::int64_t count = 1;
    for (const auto d : tensor.shape) count *= d;
    if (dtype_size(tensor.dtype) == 0 ||
        static_cast<std::size_t>(count) * dtype_size(tensor.dtype) != tensor.bytes)
      throw std::logic_error("tensor '" + tensor.name + "': shape, dtype and size disagree");
  }
}

// The header JSON with the checksum written as the placeholder; padded to 8 bytes.
std::string header_json(const std::map<std::string, std::string>& metadata,
                        const std::vector<TensorToWrite>& tensors) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  nlohmann::ordered_json& meta = header["__metadata__"] = nlohmann::ordered_json::object();
  for (const auto& [key, value] : metadata) {
    // JSON holds only valid UTF-8: refuse before anything is written, naming the key.
    if (!utf8::is_valid(key) || !utf8::is_valid(value))
      throw std::invalid_argument("metadata '" + utf8::escape_for_message(key) + "' is not valid UTF-8");
    meta[key] = value;
  }
  meta["checksum"] = std::string(kChecksumPlaceholder);
  std::uint64_t offset = 0;
  for (const auto& tensor : tensors) {
    if (!utf8::is_valid(tensor.name))
      throw std::invalid_argument("tensor name '" + utf8::escape_for_message(tensor.name) + "' is not valid UTF-8");
    const std::uint64_t end = offset + tensor.bytes;
    header[tensor.name] = {{"dtype", tensor.dtype},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.resize((text.size() + 7) / 8 * 8, ' ');
  return text;
}

}  // namespace

void write_container(const std::string& path, std::map<std::string, std::string> metadata,
                     const std::vector<TensorToWrite>& tensors) {
  metadata["format"] = "nmt";
  metadata["format_version"] = std::to_string(kFileFormatVersion);
  metadata.erase("checksum");
  check_sizes(tensors);
  const std::string header = header_json(metadata, tensors);
  const std::size_t checksum_at = header.find(kChecksumKey) + kChecksumKey.size();

  AtomicFileWriter file(path);
  char length[8];
  little_endian_u64(header.size(), length);
  file.write(length, 8);
  file.write(header.data(), header.size());
  std::uint32_t crc = crc_update(0, header.data(), header.size());
  for (const auto& tensor : tensors) {
    file.write(tensor.data, tensor.bytes);
    crc = crc_update(crc, tensor.data, tensor.bytes);
  }
  const std::string digits = fmt::format("{:08x}", crc);
  file.patch(8 + checksum_at, digits.data(), digits.size());
  file.commit();
}

// --- reading -------------------------------------------------------------------------
namespace {

using Json = nlohmann::json;
using Kind = FileFormatError::Kind;

// The errors of one file, each naming it.
class Problems {
 public:
  explicit Problems(const std::string& path) : path_(path) {}
  FileFormatError truncated(const std::string& detail) const {
    return FileFormatError(Kind::truncated, "'" + path_ + "' is truncated (" + detail +
                                                "); it was not completely written or copied");
  }
  FileFormatError not_nmt(const std::string& detail) const {
    return FileFormatError(Kind::not_nmt, "'" + path_ + "' is not an nmt model or checkpoint (" + detail + ")");
  }
  FileFormatError corrupted(const std::string& detail) const {
    return FileFormatError(Kind::corrupted, "'" + path_ + "' is corrupted (" + detail + ")");
  }

 private:
  const std::string& path_;
};

// A tensor's header entry; offsets are relative to the start of the tensor data.
struct TensorSpan {
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;
};

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileFormatError(Kind::unreadable, "cannot open '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw FileFormatError(Kind::unreadable, "cannot read '" + path + "'");
  return std::move(buffer).str();
}

// The header length N from the first 8 bytes, after checking that N bytes of header
// (starting with '{', the magic) are there.
std::uint64_t header_size_of(const std::string& content, const Problems& problems) {
  if (content.size() > 8 && content[8] != '{') throw problems.not_nmt("no safetensors header");
  if (content.size() < 9) {
    if (content.empty()) throw problems.truncated("the file is empty");
    throw problems.truncated(fmt::format("{} bytes", content.size()));
  }
  const std::uint64_t header_size = read_u64(content);
  if (header_size > kMaxHeaderBytes) throw problems.not_nmt("implausible safetensors header length");
  if (8 + header_size > content.size())
    throw problems.truncated(fmt::format("header of {} bytes, file of {}", header_size, content.size()));
  return header_size;
}

Json parse_header(const std::string& header, const Problems& problems) {
  try {
    return Json::parse(header);
  } catch (const Json::parse_error& e) {
    throw problems.corrupted(
        fmt::format("header: invalid JSON at byte {}: {}", e.byte, untagged_json_message(e.what())));
  } catch (const Json::exception& e) {  // e.g. a number too large for a double (found by fuzzing)
    throw problems.corrupted(fmt::format("header: {}", untagged_json_message(e.what())));
  }
}

std::map<std::string, std::string> read_metadata(const Json& header, const Problems& problems) {
  const auto found = header.find("__metadata__");  // end() unless header is an object
  if (found == header.end() || !found->is_object()) throw problems.not_nmt("no safetensors metadata");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, value] : found->items()) {
    if (!value.is_string()) throw problems.corrupted("metadata '" + key + "' is not a string");
    metadata[key] = value.get<std::string>();
  }
  return metadata;
}

// Throws unless the metadata names format nmt at this build's version.
void check_format(const std::map<std::string, std::string>& metadata, const std::string& path,
                  const Problems& problems) {
  const auto format = metadata.find("format");
  if (format == metadata.end() || format->second != "nmt")
    throw problems.not_nmt("a safetensors file without format = nmt in its metadata");
  const auto version = metadata.find("format_version");
  if (version == metadata.end() || version->second != std::to_string(kFileFormatVersion))
    throw FileFormatError(
        Kind::wrong_version,
        fmt::format("'{}' has file format version {}; this build of nmt reads version {}", path,
                    version == metadata.end() ? "(none)" : version->second, kFileFormatVersion));
}

const Json& member(const Json& object, const char* key) {
  const auto found = object.find(key);  // end() unless object is an object
  if (found == object.end()) throw std::runtime_error(std::string("missing JSON member '") + key + "'");
  return *found;
}

// Integers are read as integers (never through a double), so 64-bit offsets are exact.
std::uint64_t as_uint(const Json& value) {
  if (!value.is_number_unsigned()) throw std::runtime_error("expected a non-negative JSON integer");
  return value.get<std::uint64_t>();
}

const Json& as_array(const Json& value, const char* key) {
  if (!value.is_array()) throw std::runtime_error(std::string(key) + " should be a JSON array");
  return value;
}

// One tensor's entry, checked for consistency of dtype, shape and offsets.
TensorSpan read_tensor(const std::string& name, const Json& value, const Problems& problems) {
  TensorSpan span;
  try {
    const Json& dtype = member(value, "dtype");
    if (!dtype.is_string()) throw std::runtime_error("expected a JSON string");
    span.dtype = dtype.get<std::string>();
    for (const auto& d : as_array(member(value, "shape"), "shape")) {
      const std::uint64_t size = as_uint(d);
      if (size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw std::runtime_error("a dimension is larger than 2^63 - 1");
      span.shape.push_back(static_cast<std::int64_t>(size));
    }
    const Json& offsets = as_array(member(value, "data_offsets"), "data_offsets");
    if (offsets.size() != 2) throw std::runtime_error("data_offsets needs two numbers");
    span.begin = as_uint(offsets[0]);
    span.end = as_uint(offsets[1]);
  } catch (const std::exception& e) {
    throw problems.corrupted("tensor '" + name + "': " + e.what());
  }
  // The element count, refused when it overflows: a shape whose product wraps around
  // to the byte count would otherwise pass.
  std::uint64_t count = 1;
  bool overflow = false;
  for (const auto d : span.shape) overflow |= __builtin_mul_overflow(count, static_cast<std::uint64_t>(d), &count);
  std::uint64_t bytes = 0;
  overflow |= __builtin_mul_overflow(count, static_cast<std::uint64_t>(dtype_size(span.dtype)), &bytes);
  if (overflow) throw problems.corrupted("tensor '" + name + "' has a shape too large for any file");
  if (dtype_size(span.dtype) == 0 || span.end < span.begin || span.end - span.begin != bytes)
    throw problems.corrupted("tensor '" + name + "' has inconsistent dtype, shape and offsets");
  return span;
}

// The CRC-32 of the header (its checksum digits read as the placeholder) and the data
// must equal the digits stored.
void verify_checksum(std::string header, const std::string& content, const Problems& problems) {
  const std::size_t checksum_at = header.find(kChecksumKey);
  if (checksum_at == std::string::npos) throw problems.corrupted("no checksum");
  const std::size_t digits_at = checksum_at + kChecksumKey.size();
  const std::string stored = header.substr(digits_at, kChecksumPlaceholder.size());
  header.replace(digits_at, kChecksumPlaceholder.size(), kChecksumPlaceholder);
  const std::size_t data_at = 8 + header.size();
  std::uint32_t crc = crc_update(0, header.data(), header.size());
  crc = crc_update(crc, content.data() + data_at, content.size() - data_at);
  if (fmt::format("{:08x}", crc) != stored)
    throw problems.corrupted(fmt::format("checksum mismatch: stored {}, computed {:08x}", stored, crc));
}

}  // namespace

Container Container::read(const std::string& path) { return parse(path, read_whole_file(path)); }

Container Container::parse(const std::string& path, std::string bytes) {
  const Problems problems(path);
  Container c;
  c.path_ = path;
  c.content_ = std::move(bytes);
  const std::string& content = c.content_;
  const std::uint64_t header_size = header_size_of(content, problems);
  const std::string header = content.substr(8, header_size);
  const Json json = parse_header(header, problems);
  c.metadata_ = read_metadata(json, problems);
  check_format(c.metadata_, path, problems);

  // Every offset is checked against the bytes the file holds before it is used.
  const std::uint64_t data_bytes = content.size() - 8 - header_size;
  std::uint64_t data_end = 0;
  for (const auto& [name, value] : json.items()) {
    if (name == "__metadata__") continue;
    TensorSpan span = read_tensor(name, value, problems);
    data_end = std::max(data_end, span.end);
    if (span.end > data_bytes)
      throw problems.truncated(fmt::format("tensor '{}' ends at byte {} of {} data bytes", name, span.end, data_bytes));
    c.tensors_[name] = Entry{std::move(span.dtype), std::move(span.shape), 8 + header_size + span.begin,
                             8 + header_size + span.end};
  }
  data_end += 8 + header_size;
  if (data_end < content.size()) throw problems.corrupted("trailing bytes after the tensors");
  verify_checksum(header, content, problems);
  return c;
}

const std::string& Container::meta(const std::string& key) const {
  const auto found = metadata_.find(key);
  if (found == metadata_.end())
    throw FileFormatError(FileFormatError::Kind::corrupted,
                          "'" + path_ + "' lacks the metadata key '" + key + "'");
  return found->second;
}

double Container::meta_number(const std::string& key) const {
  const std::string& text = meta(key);
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw FileFormatError(FileFormatError::Kind::corrupted,
                        fmt::format("'{}': metadata {} should be a number, not '{}'", path_, key, text));
}

std::vector<std::string> Container::tensor_names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : tensors_) names.push_back(name);
  return names;
}

const Container::Entry& Container::entry(const std::string& name) const {
  const auto found = tensors_.find(name);
  if (found == tensors_.end())
    throw FileFormatError(FileFormatError::Kind::corrupted,
                          "'" + path_ + "' lacks the tensor '" + name + "'");
  return found->second;
}

const std::vector<std::int64_t>& Container::shape(const std::string& name) const { return entry(name).shape; }
const std::string& Container::dtype(const std::string& name) const { return entry(name).dtype; }

std::string_view Container::bytes(const std::string& name) const {
  const Entry& e = entry(name);
  return std::string_view(content_).substr(e.begin, e.end - e.begin);
}

void Container::copy_floats(const std::string& name, float* out, std::size_t count) const {
  const Entry& e = entry(name);
  if (e.dtype != "F32" || e.end - e.begin != count * sizeof(float))
    throw FileFormatError(FileFormatError::Kind::corrupted,
                          fmt::format("'{}': tensor '{}' should hold {} F32 values", path_, name, count));
  if (count > 0) std::memcpy(out, content_.data() + e.begin, count * sizeof(float));  // out may be null when empty
}

void Container::copy_int32s(const std::string& name, std::int32_t* out, std::size_t count) const {
  const Entry& e = entry(name);
  if (e.dtype != "I32" || e.end - e.begin != count * sizeof(std::int32_t))
    throw FileFormatError(FileFormatError::Kind::corrupted,
                          fmt::format("'{}': tensor '{}' should hold {} I32 values", path_, name, count));
  if (count > 0) std::memcpy(out, content_.data() + e.begin, count * sizeof(std::int32_t));  // out may be null when empty
}

}  // namespace nmt
