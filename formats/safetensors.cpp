// safetensors.cpp — writing and verifying nmt's safetensors container.
#include "formats/safetensors.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "data/text_writer.hpp"
#include "formats/json.hpp"

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

// The header JSON with the checksum written as the placeholder; padded to 8 bytes.
std::string header_json(const std::map<std::string, std::string>& metadata,
                        const std::vector<TensorToWrite>& tensors) {
  std::string json = "{\"__metadata__\":{";
  bool first = true;
  for (const auto& [key, value] : metadata) {
    if (!first) json += ',';
    first = false;
    json += json_quote(key) + ':' + json_quote(value);
  }
  json += ',' + std::string(kChecksumKey) + std::string(kChecksumPlaceholder) + "\"}";
  std::uint64_t offset = 0;
  for (const auto& tensor : tensors) {
    json += ',' + json_quote(tensor.name) + ":{\"dtype\":\"" + tensor.dtype + "\",\"shape\":[";
    for (std::size_t i = 0; i < tensor.shape.size(); ++i)
      json += (i ? "," : "") + std::to_string(tensor.shape[i]);
    json += fmt::format("],\"data_offsets\":[{},{}]}}", offset, offset + tensor.bytes);
    offset += tensor.bytes;
  }
  json += '}';
  while (json.size() % 8 != 0) json += ' ';
  return json;
}

}  // namespace

void write_container(const std::string& path, std::map<std::string, std::string> metadata,
                     const std::vector<TensorToWrite>& tensors) {
  metadata["format"] = "nmt";
  metadata["format_version"] = std::to_string(kFileFormatVersion);
  metadata.erase("checksum");
  for (const auto& tensor : tensors) {
    std::int64_t count = 1;
    for (const auto d : tensor.shape) count *= d;
    if (dtype_size(tensor.dtype) == 0 ||
        static_cast<std::size_t>(count) * dtype_size(tensor.dtype) != tensor.bytes)
      throw std::logic_error("tensor '" + tensor.name + "': shape, dtype and size disagree");
  }
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

Container Container::read(const std::string& path) {
  using Kind = FileFormatError::Kind;
  Container c;
  c.path_ = path;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileFormatError(Kind::unreadable, "cannot open '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw FileFormatError(Kind::unreadable, "cannot read '" + path + "'");
    c.content_ = std::move(buffer).str();
  }
  const std::string& content = c.content_;
  const auto truncated = [&](const std::string& detail) {
    return FileFormatError(Kind::truncated, "'" + path + "' is truncated (" + detail +
                                                "); it was not completely written or copied");
  };
  const auto not_nmt = [&](const std::string& detail) {
    return FileFormatError(Kind::not_nmt, "'" + path + "' is not an nmt model or checkpoint (" +
                                              detail + ")");
  };
  const auto corrupted = [&](const std::string& detail) {
    return FileFormatError(Kind::corrupted, "'" + path + "' is corrupted (" + detail + ")");
  };
  // Magic: a plausible header length followed by '{'.
  if (content.size() > 8 && content[8] != '{') throw not_nmt("no safetensors header");
  if (content.size() < 9) {
    if (content.empty()) throw truncated("the file is empty");
    throw truncated(fmt::format("{} bytes", content.size()));
  }
  const std::uint64_t header_size = read_u64(content);
  if (header_size > kMaxHeaderBytes) throw not_nmt("implausible safetensors header length");
  if (8 + header_size > content.size())
    throw truncated(fmt::format("header of {} bytes, file of {}", header_size, content.size()));
  std::string header = content.substr(8, header_size);
  Json json;
  try {
    json = parse_json(header);
  } catch (const std::exception& e) {
    throw corrupted(std::string("header: ") + e.what());
  }
  if (json.type != Json::Type::object || !json.has("__metadata__") ||
      json.at("__metadata__").type != Json::Type::object)
    throw not_nmt("no safetensors metadata");
  for (const auto& [key, value] : json.at("__metadata__").members) {
    if (value.type != Json::Type::string) throw corrupted("metadata '" + key + "' is not a string");
    c.metadata_[key] = value.text;
  }
  const auto format = c.metadata_.find("format");
  if (format == c.metadata_.end() || format->second != "nmt")
    throw not_nmt("a safetensors file without format = nmt in its metadata");
  const auto version = c.metadata_.find("format_version");
  if (version == c.metadata_.end() || version->second != std::to_string(kFileFormatVersion))
    throw FileFormatError(
        Kind::wrong_version,
        fmt::format("'{}' has file format version {}; this build of nmt reads version {}", path,
                    version == c.metadata_.end() ? "(none)" : version->second, kFileFormatVersion));

  std::size_t data_end = 0;
  for (const auto& [name, value] : json.members) {
    if (name == "__metadata__") continue;
    Entry entry;
    try {
      entry.dtype = value.at("dtype").as_string();
      for (const auto& d : value.at("shape").items) entry.shape.push_back(static_cast<std::int64_t>(d.as_uint()));
      const auto& offsets = value.at("data_offsets").items;
      if (offsets.size() != 2) throw std::runtime_error("data_offsets needs two numbers");
      entry.begin = 8 + header_size + offsets[0].as_uint();
      entry.end = 8 + header_size + offsets[1].as_uint();
    } catch (const std::exception& e) {
      throw corrupted("tensor '" + name + "': " + e.what());
    }
    std::size_t count = 1;
    for (const auto d : entry.shape) count *= static_cast<std::size_t>(d);
    if (dtype_size(entry.dtype) == 0 || entry.end < entry.begin ||
        entry.end - entry.begin != count * dtype_size(entry.dtype))
      throw corrupted("tensor '" + name + "' has inconsistent dtype, shape and offsets");
    data_end = std::max(data_end, entry.end);
    c.tensors_[name] = std::move(entry);
  }
  if (data_end > content.size())
    throw truncated(fmt::format("{} bytes of {}", content.size(), data_end));
  if (data_end < content.size()) throw corrupted("trailing bytes after the tensors");

  const std::size_t checksum_at = header.find(kChecksumKey);
  if (checksum_at == std::string::npos) throw corrupted("no checksum");
  const std::string stored = header.substr(checksum_at + kChecksumKey.size(), kChecksumPlaceholder.size());
  header.replace(checksum_at + kChecksumKey.size(), kChecksumPlaceholder.size(), kChecksumPlaceholder);
  std::uint32_t crc = crc_update(0, header.data(), header.size());
  crc = crc_update(crc, content.data() + 8 + header_size, content.size() - 8 - header_size);
  if (fmt::format("{:08x}", crc) != stored)
    throw corrupted(fmt::format("checksum mismatch: stored {}, computed {:08x}", stored, crc));
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
  std::memcpy(out, content_.data() + e.begin, count * sizeof(float));
}

}  // namespace nmt
