// Unit tests for [[certificate.output]]: profile parsing, the RFC 7292 B.2 KDF, the PKCS#12
// writer (read back with Botan's BER decoder and with the openssl binary), the PEM bundle, DER,
// and the files write_outputs leaves behind. Test code may use Botan directly: it checks our
// encoder against an independent decoder.
#include "config/load.hpp"
#include "config/redacted.hpp"
#include "core/output_content.hpp"
#include "core/outputs.hpp"
#include "crypto/digest.hpp"
#include "crypto/pkcs12.hpp"
#include "crypto/pkcs12_kdf.hpp"
#include "crypto/private_key.hpp"

#include <wildcert/profile.hpp>

#include <doctest/doctest.h>

#include "error_text.hpp"

#include "temp_dir.hpp"

#include <botan/asn1_obj.h>
#include <botan/ber_dec.h>
#include <botan/data_src.h>
#include <botan/der_enc.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pkcs10.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using wildcert::test::without_column;

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;
using wildcert::OutputFormat;

// ---------------------------------------------------------------------------------------------
// Helpers

using wildcert::test::TempDir;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Bytes hex(std::string_view text) {
    const auto decoded = Botan::hex_decode(std::string(text));
    return {decoded.begin(), decoded.end()};
}

// The password every profile test uses, so that every error message can be searched for it.
constexpr const char* k_secret = "Hunter2-p12-SECRET";

const wildcert::config::EnvLookup k_env =
    [](const std::string& name) -> std::optional<std::string> {
    if (name == "P12_PASSWORD")
        return std::string(k_secret);
    if (name == "BAD_UTF8")
        return std::string("ab\xff") + k_secret;
    if (name == "EMPTY")
        return std::string();
    return std::nullopt;
};

// [acme] on line 1 so that lines can be counted by eye; [[certificate]] on line 5.
const std::string k_head = "[acme]\n"                              // 1
                           "directory = \"https://ca.test/dir\"\n" // 2
                           "[dns]\n"                               // 3
                           "provider = \"rfc2136\"\n"              // 4
                           "[[certificate]]\n"                     // 5
                           "name = \"example\"\n"                  // 6
                           "domains = [\"example.com\"]\n";        // 7

wildcert::Result<wildcert::Profile> load(const TempDir& dir, const std::string& text) {
    return wildcert::config::load_profile_with_env(dir.write("profile.toml", text), k_env);
}

// The error `text` causes: a profile error at "<line>: <key>: ", without the password.
std::string error_at(const std::string& text, int line, const std::string& key) {
    const TempDir dir;
    dir.write("p12.pass", std::string(k_secret) + "\n");
    const auto profile = load(dir, text);
    REQUIRE_FALSE(profile.ok());
    const std::string& message = profile.error().message;
    INFO("message: " << message);
    CHECK(profile.error().kind == wildcert::ErrorKind::profile);
    CHECK(without_column(message).find("profile.toml:" + std::to_string(line) + ": " + key +
                                       ": ") != std::string::npos);
    CHECK(message.find(k_secret) == std::string::npos);
    CHECK(message.find("Hunter2") == std::string::npos);
    return message;
}

// A CA chain made with Botan and a leaf for a key of ours, as the CA would hand them out.
struct TestChain {
    std::string key_pem;
    std::string leaf_pem;
    std::string chain_pem; // intermediate, then root
    Bytes leaf_der;
    std::vector<Bytes> chain_der;
    Bytes public_key_der;
};

Botan::X509_Certificate sign(const Botan::X509_Certificate& issuer,
                             const Botan::Private_Key& issuer_key,
                             const Botan::PKCS10_Request& request,
                             Botan::RandomNumberGenerator& rng) {
    const Botan::X509_CA ca(issuer, issuer_key, "SHA-256", rng);
    // Fixed dates: nothing here depends on the clock.
    return ca.sign_request(request, rng,
                           Botan::X509_Time("20250101000000Z", Botan::GENERALIZED_TIME),
                           Botan::X509_Time("20350101000000Z", Botan::GENERALIZED_TIME));
}

TestChain make_chain(wildcert::KeyType type) {
    Botan::System_RNG rng;
    const Botan::EC_Group group("secp256r1");
    const Botan::ECDSA_PrivateKey root_key(rng, group);
    Botan::X509_Cert_Options root_options("wildcert outputs test root");
    root_options.CA_key();
    const auto root = Botan::X509::create_self_signed_cert(root_options, root_key, "SHA-256", rng);

    const Botan::ECDSA_PrivateKey intermediate_key(rng, group);
    Botan::X509_Cert_Options intermediate_options("wildcert outputs test intermediate");
    intermediate_options.CA_key(0);
    const auto intermediate = sign(
        root, root_key,
        Botan::X509::create_cert_req(intermediate_options, intermediate_key, "SHA-256", rng), rng);

    auto key = wildcert::crypto::PrivateKey::generate(type);
    REQUIRE(key.ok());
    TestChain chain;
    chain.key_pem = key->to_pem();
    chain.public_key_der = key->public_key_der();
    Botan::DataSource_Memory key_source(chain.key_pem);
    const auto leaf_key = Botan::PKCS8::load_key(key_source);
    Botan::X509_Cert_Options leaf_options("outputs.example");
    leaf_options.more_dns = {"*.outputs.example"};
    const auto leaf =
        sign(intermediate, intermediate_key,
             Botan::X509::create_cert_req(leaf_options, *leaf_key, "SHA-256", rng), rng);

    chain.leaf_pem = leaf.PEM_encode();
    chain.chain_pem = intermediate.PEM_encode() + root.PEM_encode();
    chain.leaf_der = leaf.BER_encode();
    chain.chain_der = {intermediate.BER_encode(), root.BER_encode()};
    return chain;
}

wildcert::store::CertificateFiles files_of(const TestChain& chain) {
    return {chain.key_pem, chain.leaf_pem, chain.chain_pem, chain.leaf_pem + chain.chain_pem, {}};
}

const TestChain& ec_chain() {
    static const TestChain chain = make_chain(wildcert::KeyType::ec_p256);
    return chain;
}

// Runs a shell command; returns its exit status and everything it printed.
struct CommandResult {
    int status = -1;
    std::string output;
};

CommandResult run(const std::string& command) {
    CommandResult result;
    std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        result.output.append(buffer, got);
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// ---------------------------------------------------------------------------------------------
// A reader for the PFX, written against RFC 7292 §4 with Botan's decoder.

const Botan::OID k_id_data("1.2.840.113549.1.7.1");
const Botan::OID k_cert_bag("1.2.840.113549.1.12.10.1.3");
const Botan::OID k_shrouded_key_bag("1.2.840.113549.1.12.10.1.2");
const Botan::OID k_x509_certificate("1.2.840.113549.1.9.22.1");
const Botan::OID k_friendly_name("1.2.840.113549.1.9.20");
const Botan::OID k_local_key_id("1.2.840.113549.1.9.21");

struct Attribute {
    Botan::ASN1_Tag tag;
    Bytes value;
};

struct Bag {
    Botan::OID id;
    Bytes value; // the DER inside [0] EXPLICIT
    std::map<std::string, Attribute> attributes;
};

struct ParsedPfx {
    std::size_t version = 0;
    Bytes auth_safe;
    Botan::OID mac_digest;
    Bytes mac;
    Bytes mac_salt;
    std::size_t mac_iterations = 0;
    std::vector<std::vector<Bag>> safe_contents;
};

// ContentInfo { id-data, [0] EXPLICIT OCTET STRING } -> the octets.
Bytes data_content(Botan::BER_Decoder& outer) {
    Botan::BER_Decoder content_info = outer.start_cons(Botan::SEQUENCE);
    Botan::OID type;
    content_info.decode(type);
    CHECK(type == k_id_data);
    Bytes octets;
    content_info.start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)
        .decode(octets, Botan::OCTET_STRING)
        .end_cons();
    content_info.end_cons();
    return octets;
}

std::vector<Bag> parse_safe_contents(const Bytes& der) {
    std::vector<Bag> bags;
    Botan::BER_Decoder top(der);
    Botan::BER_Decoder sequence = top.start_cons(Botan::SEQUENCE);
    while (sequence.more_items()) {
        Bag bag;
        Botan::BER_Decoder safe_bag = sequence.start_cons(Botan::SEQUENCE);
        safe_bag.decode(bag.id);
        Botan::BER_Decoder value = safe_bag.start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC);
        const Botan::BER_Object object = value.get_next_object();
        value.verify_end();
        // Re-encode the one element to hand it on as DER.
        Botan::DER_Encoder encoder(bag.value);
        encoder.add_object(object.type(), object.get_class(), object.bits(), object.length());
        if (safe_bag.more_items()) {
            Botan::BER_Decoder attributes = safe_bag.start_cons(Botan::SET);
            while (attributes.more_items()) {
                Botan::BER_Decoder attribute = attributes.start_cons(Botan::SEQUENCE);
                Botan::OID id;
                attribute.decode(id);
                Botan::BER_Decoder values = attribute.start_cons(Botan::SET);
                const Botan::BER_Object first = values.get_next_object();
                CHECK_FALSE(values.more_items()); // one value per attribute
                bag.attributes[id.to_string()] = {
                    first.type(), Bytes(first.bits(), first.bits() + first.length())};
            }
        }
        safe_bag.verify_end();
        bags.push_back(std::move(bag));
    }
    return bags;
}

ParsedPfx parse_pfx(const Bytes& der) {
    ParsedPfx parsed;
    Botan::BER_Decoder top(der);
    Botan::BER_Decoder pfx = top.start_cons(Botan::SEQUENCE);
    pfx.decode(parsed.version);
    parsed.auth_safe = data_content(pfx);
    Botan::BER_Decoder mac_data = pfx.start_cons(Botan::SEQUENCE);
    Botan::BER_Decoder digest_info = mac_data.start_cons(Botan::SEQUENCE);
    Botan::AlgorithmIdentifier digest;
    digest_info.decode(digest).decode(parsed.mac, Botan::OCTET_STRING).verify_end();
    parsed.mac_digest = digest.get_oid();
    mac_data.decode(parsed.mac_salt, Botan::OCTET_STRING)
        .decode(parsed.mac_iterations)
        .verify_end();
    pfx.verify_end();
    top.verify_end();

    Botan::BER_Decoder auth_safe_top(parsed.auth_safe);
    Botan::BER_Decoder auth_safe = auth_safe_top.start_cons(Botan::SEQUENCE);
    while (auth_safe.more_items())
        parsed.safe_contents.push_back(parse_safe_contents(data_content(auth_safe)));
    return parsed;
}

// "8A 3B ..." as `openssl pkcs12` prints attribute octets.
std::string spaced_hex(const Bytes& bytes) {
    std::string out;
    for (const auto byte : bytes) {
        if (!out.empty())
            out += ' ';
        out += Botan::hex_encode(&byte, 1, true);
    }
    return out;
}

Bytes sha1(const Bytes& data) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-1");
    const auto digest = hash->process(data);
    return {digest.begin(), digest.end()};
}

bool mac_verifies(const ParsedPfx& pfx, std::string_view password) {
    const auto bmp = wildcert::crypto::pkcs12_bmp_password(password);
    REQUIRE(bmp.ok());
    const Bytes key = wildcert::crypto::pkcs12_kdf_sha256(
        *bmp, pfx.mac_salt, wildcert::crypto::Pkcs12KeyPurpose::mac_key, pfx.mac_iterations, 32);
    const std::string data(pfx.auth_safe.begin(), pfx.auth_safe.end());
    return wildcert::crypto::hmac(wildcert::crypto::HmacHash::sha256, key, data) == pfx.mac;
}

Bytes make_p12(const TestChain& chain, std::string_view password) {
    auto der = wildcert::crypto::make_pkcs12(
        {chain.key_pem, chain.leaf_pem, chain.chain_pem, "example", password});
    REQUIRE_MESSAGE(der.ok(), (der.ok() ? "" : der.error().message));
    return std::move(der).value();
}

wildcert::CertificateSettings certificate_with(std::vector<wildcert::OutputSettings> outputs) {
    wildcert::CertificateSettings certificate;
    certificate.name = "example";
    certificate.outputs = std::move(outputs);
    return certificate;
}

wildcert::OutputSettings output(OutputFormat format, fs::path path,
                                fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
    wildcert::OutputSettings settings;
    settings.format = format;
    settings.path = std::move(path);
    settings.mode = mode;
    settings.origin = "profile.toml:12";
    if (format == OutputFormat::pkcs12)
        settings.password = "Hunter2-files";
    return settings;
}

} // namespace

// ---------------------------------------------------------------------------------------------

TEST_SUITE("outputs: profile") {

    TEST_CASE("[[certificate.output]] tables load with every key") {
        const TempDir dir;
        dir.write("secrets/p12", std::string(k_secret) + "-from-file\n");
        const auto profile = load(dir, k_head +                                    //
                                           "[[certificate.output]]\n"              // 8
                                           "format = \"pkcs12\"\n"                 // 9
                                           "path = \"out/example.p12\"\n"          // 10
                                           "password = \"${P12_PASSWORD}\"\n"      // 11
                                           "[[certificate.output]]\n"              // 12
                                           "format = \"pem-bundle\"\n"             // 13
                                           "path = \"/etc/haproxy/example.pem\"\n" // 14
                                           "mode = \"0640\"\n"                     // 15
                                           "[[certificate.output]]\n"              // 16
                                           "format = \"der\"\n"                    // 17
                                           "path = \"./out/../out/example.der\"\n" // 18
                                           "mode = \"644\"\n"                      // 19
                                           "[[certificate.output]]\n"              // 20
                                           "format = \"pkcs12\"\n"                 // 21
                                           "path = \"second.p12\"\n"               // 22
                                           "password_file = \"secrets/p12\"\n");   // 23
        REQUIRE_MESSAGE(profile.ok(), (profile.ok() ? "" : profile.error().message));
        const auto& outputs = profile->certificates.at(0).outputs;
        REQUIRE(outputs.size() == 4);

        CHECK(outputs[0].format == OutputFormat::pkcs12);
        CHECK(outputs[0].path == dir.path() / "out/example.p12");
        CHECK(outputs[0].password == k_secret);
        CHECK(outputs[0].mode == (fs::perms::owner_read | fs::perms::owner_write));
        CHECK(without_column(outputs[0].origin) == (dir.path() / "profile.toml").string() + ":8");

        CHECK(outputs[1].format == OutputFormat::pem_bundle);
        CHECK(outputs[1].path == "/etc/haproxy/example.pem");
        CHECK(outputs[1].password.empty());
        CHECK(outputs[1].mode == static_cast<fs::perms>(0640));

        CHECK(outputs[2].format == OutputFormat::der);
        CHECK(outputs[2].path == dir.path() / "out/example.der");
        CHECK(outputs[2].mode == static_cast<fs::perms>(0644));

        // <key>_file: the file's content without its trailing newline.
        CHECK(outputs[3].password == std::string(k_secret) + "-from-file");
        CHECK(outputs[3].path == dir.path() / "second.p12");
    }

    TEST_CASE("a certificate without outputs has none") {
        const TempDir dir;
        const auto profile = load(dir, k_head);
        REQUIRE(profile.ok());
        CHECK(profile->certificates.at(0).outputs.empty());
    }

    TEST_CASE("format is required and one of the three") {
        CHECK(error_at(k_head + "[[certificate.output]]\npath = \"a.der\"\n", 8,
                       "certificate[1].output[1]")
                  .find("missing required key 'format'") != std::string::npos);
        const auto message = error_at(k_head + "[[certificate.output]]\n"
                                               "format = \"p12\"\n" // 9
                                               "path = \"a.p12\"\n",
                                      9, "certificate[1].output[1].format");
        CHECK(message.find("'p12' is not an output format (expected pkcs12, pem-bundle or der)") !=
              std::string::npos);
        error_at(k_head + "[[certificate.output]]\nformat = 12\npath = \"a\"\n", 9,
                 "certificate[1].output[1].format");
    }

    TEST_CASE("path is required, not empty and not a folder") {
        CHECK(error_at(k_head + "[[certificate.output]]\nformat = \"der\"\n", 8,
                       "certificate[1].output[1]")
                  .find("missing required key 'path'") != std::string::npos);
        error_at(k_head + "[[certificate.output]]\nformat = \"der\"\npath = \"\"\n", 10,
                 "certificate[1].output[1].path");
        const auto folder =
            error_at(k_head + "[[certificate.output]]\nformat = \"der\"\npath = \".\"\n", 10,
                     "certificate[1].output[1].path");
        CHECK(folder.find("is a folder") != std::string::npos);
        error_at(k_head + "[[certificate.output]]\nformat = \"der\"\npath = \"out/\"\n", 10,
                 "certificate[1].output[1].path");
    }

    TEST_CASE("pkcs12 needs a password; the other formats refuse one") {
        const auto missing =
            error_at(k_head + "[[certificate.output]]\nformat = \"pkcs12\"\npath = \"a.p12\"\n", 8,
                     "certificate[1].output[1].password");
        CHECK(missing.find("password_file") != std::string::npos);

        const auto der = error_at(k_head +
                                      "[[certificate.output]]\n"
                                      "format = \"der\"\n" // 9
                                      "path = \"a.der\"\n" // 10
                                      "password = \"" +
                                      std::string(k_secret) + "\"\n", // 11
                                  11, "certificate[1].output[1].password");
        CHECK(der.find("only used with format = \"pkcs12\"") != std::string::npos);

        error_at(k_head + "[[certificate.output]]\n"
                          "format = \"pem-bundle\"\n"
                          "path = \"a.pem\"\n"
                          "password_file = \"p12.pass\"\n", // 11
                 11, "certificate[1].output[1].password_file");

        error_at(k_head + "[[certificate.output]]\n"
                          "format = \"pkcs12\"\n"
                          "path = \"a.p12\"\n"
                          "password = \"${P12_PASSWORD}\"\n" // 11
                          "password_file = \"p12.pass\"\n",  // 12
                 12, "certificate[1].output[1].password_file");
    }

    TEST_CASE("bad passwords are errors that never show the password") {
        const std::string head = k_head + "[[certificate.output]]\n"
                                          "format = \"pkcs12\"\n"
                                          "path = \"a.p12\"\n";
        const auto empty =
            error_at(head + "password = \"${EMPTY}\"\n", 11, "certificate[1].output[1].password");
        CHECK(empty.find("is empty") != std::string::npos);
        const auto utf8 = error_at(head + "password = \"${BAD_UTF8}\"\n", 11,
                                   "certificate[1].output[1].password");
        CHECK(utf8.find("UTF-8") != std::string::npos);
        error_at(head + "password = \"${UNSET_P12}\"\n", 11, "certificate[1].output[1].password");
        const auto unreadable = error_at(head + "password_file = \"nope/p12\"\n", 11,
                                         "certificate[1].output[1].password_file");
        CHECK(unreadable.find("nope/p12") != std::string::npos);
        // A folder opens but does not read; a file too big is refused: neither is quoted.
        error_at(head + "password_file = \".\"\n", 11, "certificate[1].output[1].password_file");
        error_at(head + "password_file = \"\"\n", 11, "certificate[1].output[1].password_file");
    }

    TEST_CASE("mode is an octal string without special bits") {
        const std::string head = k_head + "[[certificate.output]]\n"
                                          "format = \"der\"\n"
                                          "path = \"a.der\"\n";
        for (const char* bad :
             {"4755", "1644", "2640", "0o600", "rw-r-----", "0888", "06", "00600", "", "-600"}) {
            INFO("mode " << bad);
            const auto message =
                error_at(head + "mode = \"" + bad + "\"\n", 11, "certificate[1].output[1].mode");
            CHECK(message.find("is not a file mode") != std::string::npos);
        }
        const auto integer = error_at(head + "mode = 0o600\n", 11, "certificate[1].output[1].mode");
        CHECK(integer.find("expected an octal string") != std::string::npos);
        error_at(head + "mode = \"0200\"\n", 11, "certificate[1].output[1].mode");
        error_at(head + "mode = \"0666\"\n", 11, "certificate[1].output[1].mode");

        // The PEM bundle holds the key in clear: not for everyone's eyes. PKCS#12 and DER may.
        const auto bundle = error_at(k_head + "[[certificate.output]]\n"
                                              "format = \"pem-bundle\"\n"
                                              "path = \"a.pem\"\n"
                                              "mode = \"0644\"\n",
                                     11, "certificate[1].output[1].mode");
        CHECK(bundle.find("private key") != std::string::npos);
        const TempDir dir;
        const auto ok = load(dir, k_head + "[[certificate.output]]\n"
                                           "format = \"pkcs12\"\n"
                                           "path = \"a.p12\"\n"
                                           "password = \"x\"\n"
                                           "mode = \"0444\"\n");
        REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
        CHECK(ok->certificates[0].outputs[0].mode == static_cast<fs::perms>(0444));
    }

    TEST_CASE("unknown keys and wrong shapes are errors") {
        error_at(k_head + "[[certificate.output]]\nformat = \"der\"\npath = \"a\"\nowner = \"x\"\n",
                 11, "certificate[1].output[1].owner");
        error_at(k_head + "output = \"a.der\"\n", 8, "certificate[1].output");
        error_at(k_head + "output = [\"a.der\"]\n", 8, "certificate[1].output[1]");
    }

    TEST_CASE("two outputs that write one file are an error, across certificates too") {
        const std::string output = "[[certificate.output]]\n"
                                   "format = \"der\"\n";
        const auto same = error_at(k_head + output + "path = \"out/a.der\"\n"      // 8-10
                                       + output + "path = \"./out/x/../a.der\"\n", // 11-13
                                   13, "certificate[1].output[2].path");
        CHECK(same.find("already written by certificate[1].output[1] (line 10)") !=
              std::string::npos);

        const TempDir dir;
        const auto across =
            load(dir, k_head + output + "path = \"" + (dir.path() / "b.der").string() +
                          "\"\n"                            // 8-10
                          "[[certificate]]\n"               // 11
                          "name = \"other\"\n"              // 12
                          "domains = [\"other.example\"]\n" // 13
                          + output + "path = \"b.der\"\n"); // 14-16
        REQUIRE_FALSE(across.ok());
        CHECK(without_column(across.error().message)
                  .find("profile.toml:16: certificate[2].output[1].path: ") != std::string::npos);
    }

    TEST_CASE("the effective configuration shows outputs with the password redacted") {
        const TempDir dir;
        const auto profile = load(dir, k_head + "[[certificate.output]]\n"
                                                "format = \"pkcs12\"\n"
                                                "path = \"/srv/example.p12\"\n"
                                                "password = \"${P12_PASSWORD}\"\n"
                                                "mode = \"0640\"\n");
        REQUIRE(profile.ok());
        const std::string text =
            wildcert::config::describe_profile(*profile, [](auto, auto) { return true; });
        CHECK(text.find(k_secret) == std::string::npos);
        CHECK(text.find("[[certificate.output]]") != std::string::npos);
        CHECK(text.find("format = \"pkcs12\"\npath = \"/srv/example.p12\"\n"
                        "password = \"<redacted>\"\nmode = \"0640\"\n") != std::string::npos);
    }
}

TEST_SUITE("outputs: pkcs12 kdf") {

    // RFC 7292 Appendix B.2 with SHA-256 and ID 3 (MAC key). The expected values were computed
    // once with a separate Python implementation of Appendix B.2 written from the RFC text,
    // and agree with OpenSSL 3.0's PKCS12KDF (`openssl kdf -kdfopt digest:SHA256
    // -kdfopt hexpass:<BMPString> -kdfopt hexsalt:<salt> -kdfopt iter:<n> -kdfopt id:3
    // -keylen <n> PKCS12KDF`).
    TEST_CASE("known answers") {
        using wildcert::crypto::Pkcs12KeyPurpose;
        const auto derive = [](std::string_view password, const Bytes& salt, std::size_t iterations,
                               std::size_t length) {
            const auto bmp = wildcert::crypto::pkcs12_bmp_password(password);
            REQUIRE(bmp.ok());
            return wildcert::crypto::pkcs12_kdf_sha256(*bmp, salt, Pkcs12KeyPurpose::mac_key,
                                                       iterations, length);
        };
        CHECK(derive("sesame", hex("0102030405060708090a0b0c0d0e0f10"), 2048, 32) ==
              hex("5749026b06e9061ab37a2ca5f0906f8cf3506a90c8d2cf9414873dd316caaabb"));
        // A salt that is not a multiple of 64 bytes, a password beyond the BMP, and output
        // longer than two hash blocks (the I_j adjustment of step 6C runs twice).
        CHECK(derive("p\xC3\xA4ss \xF0\x9F\x94\x91",
                     hex("000102030405060708090a0b0c0d0e0f10111213"), 3, 70) ==
              hex("dc565cf23936654aca0f3709162babf6fe48a89ad8277510f033fea65301216e90f163e9ce95b8"
                  "68510bc4460d15a209ab9763d29dcc63293f3f73f1c7fd2a93c38cf519d1b4"));
        // The empty password is the BMPString terminator alone (Appendix B.1).
        CHECK(derive("", hex("ffffffffffffffff"), 1, 32) ==
              hex("d3bfa9e2c6341ab9d7247e654dd010d838230db42d30eb4fbd56b792ea41e103"));
    }

    TEST_CASE("passwords become BMPStrings") {
        CHECK(*wildcert::crypto::pkcs12_bmp_password("A\xC3\xA9") == hex("004100e90000"));
        CHECK(*wildcert::crypto::bmp_string("\xF0\x9F\x94\x91") == hex("d83ddd11"));
        for (const char* bad :
             {"\xff", "\xC0\xAF", "\xE2\x82", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
            const auto result = wildcert::crypto::pkcs12_bmp_password(bad);
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().message == "PKCS#12 password: not valid UTF-8");
        }
    }
}

TEST_SUITE("outputs: pkcs12") {

    TEST_CASE("the PFX has the RFC 7292 structure, a MAC that verifies and the key inside") {
        for (const auto type : {wildcert::KeyType::ec_p256, wildcert::KeyType::rsa_2048}) {
            INFO("key type " << wildcert::to_string(type));
            const TestChain chain =
                type == wildcert::KeyType::ec_p256 ? ec_chain() : make_chain(type);
            const std::string password = "correct horse \xC3\xA9";
            const ParsedPfx pfx = parse_pfx(make_p12(chain, password));

            CHECK(pfx.version == 3);
            CHECK(pfx.mac_digest == Botan::OID("2.16.840.1.101.3.4.2.1")); // SHA-256
            CHECK(pfx.mac.size() == 32);
            CHECK(pfx.mac_salt.size() >= 16);
            CHECK(pfx.mac_iterations >= 2048);
            CHECK(mac_verifies(pfx, password));
            CHECK_FALSE(mac_verifies(pfx, "wrong password"));

            REQUIRE(pfx.safe_contents.size() == 2);
            const auto& certificates = pfx.safe_contents[0];
            REQUIRE(certificates.size() == 3);
            const Bytes local_key_id = sha1(chain.leaf_der);
            std::vector<Bytes> expected{chain.leaf_der, chain.chain_der[0], chain.chain_der[1]};
            for (std::size_t i = 0; i < certificates.size(); ++i) {
                CHECK(certificates[i].id == k_cert_bag);
                Botan::BER_Decoder decoder(certificates[i].value);
                Botan::BER_Decoder cert_bag = decoder.start_cons(Botan::SEQUENCE);
                Botan::OID type_id;
                Bytes der;
                cert_bag.decode(type_id)
                    .start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)
                    .decode(der, Botan::OCTET_STRING)
                    .end_cons();
                CHECK(type_id == k_x509_certificate);
                CHECK(der == expected[i]);
            }
            // Only the leaf is paired with the key and named.
            const auto& leaf_attributes = certificates[0].attributes;
            REQUIRE(leaf_attributes.count(k_local_key_id.to_string()) == 1);
            CHECK(leaf_attributes.at(k_local_key_id.to_string()).value == local_key_id);
            CHECK(leaf_attributes.at(k_local_key_id.to_string()).tag == Botan::OCTET_STRING);
            REQUIRE(leaf_attributes.count(k_friendly_name.to_string()) == 1);
            CHECK(leaf_attributes.at(k_friendly_name.to_string()).tag == Botan::BMP_STRING);
            CHECK(leaf_attributes.at(k_friendly_name.to_string()).value ==
                  hex("006500780061006d0070006c0065")); // "example"
            CHECK(certificates[1].attributes.empty());
            CHECK(certificates[2].attributes.empty());

            const auto& keys = pfx.safe_contents[1];
            REQUIRE(keys.size() == 1);
            CHECK(keys[0].id == k_shrouded_key_bag);
            CHECK(keys[0].attributes.at(k_local_key_id.to_string()).value == local_key_id);

            // EncryptedPrivateKeyInfo: PBES2 (RFC 8018 §A.4) with PBKDF2-HMAC-SHA-256 and
            // AES-256-CBC.
            Botan::BER_Decoder epki_top(keys[0].value);
            Botan::BER_Decoder epki = epki_top.start_cons(Botan::SEQUENCE);
            Botan::AlgorithmIdentifier scheme;
            epki.decode(scheme);
            CHECK(scheme.get_oid() == Botan::OID("1.2.840.113549.1.5.13"));
            Botan::BER_Decoder params_top(scheme.get_parameters());
            Botan::BER_Decoder params = params_top.start_cons(Botan::SEQUENCE);
            Botan::BER_Decoder kdf = params.start_cons(Botan::SEQUENCE);
            Botan::OID kdf_id;
            kdf.decode(kdf_id);
            CHECK(kdf_id == Botan::OID("1.2.840.113549.1.5.12"));
            Botan::BER_Decoder pbkdf2 = kdf.start_cons(Botan::SEQUENCE);
            Bytes salt;
            std::size_t iterations = 0;
            pbkdf2.decode(salt, Botan::OCTET_STRING).decode(iterations);
            CHECK(salt.size() >= 8);
            CHECK(iterations >= 2048);
            // keyLength (optional) and then the PRF's AlgorithmIdentifier.
            Botan::OID prf;
            while (pbkdf2.more_items()) {
                const Botan::BER_Object next = pbkdf2.get_next_object();
                if (next.is_a(Botan::SEQUENCE, Botan::CONSTRUCTED))
                    Botan::BER_Decoder(next).decode(prf);
            }
            CHECK(prf == Botan::OID("1.2.840.113549.2.9")); // hmacWithSHA256
            kdf.end_cons();
            Botan::AlgorithmIdentifier cipher;
            params.decode(cipher);
            CHECK(cipher.get_oid() == Botan::OID("2.16.840.1.101.3.4.1.42")); // aes256-CBC

            // The key decrypts with the password (as UTF-8) to the key we gave, and not
            // without it.
            Botan::DataSource_Memory encrypted(keys[0].value);
            const auto key = Botan::PKCS8::load_key(encrypted, password);
            REQUIRE(key != nullptr);
            CHECK(key->subject_public_key() == chain.public_key_der);
            Botan::DataSource_Memory again(keys[0].value);
            CHECK_THROWS(Botan::PKCS8::load_key(again, std::string("wrong password")));
        }
    }

    TEST_CASE("each file has fresh salts") {
        const Bytes first = make_p12(ec_chain(), "pw");
        const Bytes second = make_p12(ec_chain(), "pw");
        CHECK(first != second);
        CHECK(parse_pfx(first).mac_salt != parse_pfx(second).mac_salt);
    }

    TEST_CASE("a leaf-only chain gives one certificate bag") {
        const TestChain& chain = ec_chain();
        const auto der =
            wildcert::crypto::make_pkcs12({chain.key_pem, chain.leaf_pem, "\n", "example", "pw"});
        REQUIRE(der.ok());
        CHECK(parse_pfx(*der).safe_contents.at(0).size() == 1);
    }

    TEST_CASE("bad input is refused without the password or the key in the message") {
        const TestChain& chain = ec_chain();
        const TestChain other = make_chain(wildcert::KeyType::ec_p256);
        const std::string password = "Hunter2-pkcs12";
        const auto check_refused = [&](const wildcert::crypto::Pkcs12Input& input,
                                       const std::string& expected) {
            const auto result = wildcert::crypto::make_pkcs12(input);
            REQUIRE_FALSE(result.ok());
            INFO("message: " << result.error().message);
            CHECK(result.error().kind == wildcert::ErrorKind::crypto);
            CHECK(result.error().message.find(expected) != std::string::npos);
            CHECK(result.error().message.find("Hunter2") == std::string::npos);
            CHECK(result.error().message.find("PRIVATE KEY") == std::string::npos);
        };
        check_refused({other.key_pem, chain.leaf_pem, chain.chain_pem, "example", password},
                      "does not belong to the leaf certificate");
        check_refused({"not a key", chain.leaf_pem, chain.chain_pem, "example", password},
                      "PKCS#12: ");
        check_refused({chain.key_pem, "garbage", chain.chain_pem, "example", password},
                      "PKCS#12: ");
        check_refused({chain.key_pem, chain.leaf_pem, "garbage", "example", password}, "");
        check_refused({chain.key_pem, chain.leaf_pem, chain.chain_pem, "example", "Hunter2\xff"},
                      "PKCS#12 password: not valid UTF-8");
    }

    // The openssl binary is part of the test environment (FIELD-NOTES.md): missing is a failure.
    TEST_CASE("openssl pkcs12 opens the file with the password and refuses a wrong one") {
        REQUIRE_MESSAGE(run("command -v openssl").status == 0, "openssl is not installed");
        const TempDir dir;
        const TestChain& chain = ec_chain();
        // Non-ASCII on purpose: the MAC takes the password as BMPString, PBES2 as UTF-8 bytes.
        for (const std::string password : {"s3cret pass", "p\xC3\xA4ss \xF0\x9F\x94\x91"}) {
            INFO("password " << password);
            const Bytes der = make_p12(chain, password);
            const fs::path file = dir.write("example.p12", std::string(der.begin(), der.end()));
            REQUIRE(::setenv("WILDCERT_TEST_P12_PASS", password.c_str(), 1) == 0);
            REQUIRE(::setenv("WILDCERT_TEST_P12_WRONG", (password + "x").c_str(), 1) == 0);

            const auto opened = run("openssl pkcs12 -in '" + file.string() +
                                    "' -passin env:WILDCERT_TEST_P12_PASS -nodes -info");
            INFO(opened.output);
            REQUIRE(opened.status == 0);
            CHECK(opened.output.find("subject=CN = outputs.example") != std::string::npos);
            CHECK(opened.output.find("MAC: sha256, Iteration 2048") != std::string::npos);
            CHECK(opened.output.find("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, "
                                     "PRF hmacWithSHA256") != std::string::npos);
            CHECK(opened.output.find("friendlyName: example") != std::string::npos);
            CHECK(opened.output.find("localKeyID: " + spaced_hex(sha1(chain.leaf_der))) !=
                  std::string::npos);

            // What OpenSSL decrypted is the key we put in.
            const auto begin = opened.output.find("-----BEGIN PRIVATE KEY-----");
            const auto end = opened.output.find("-----END PRIVATE KEY-----");
            REQUIRE(begin != std::string::npos);
            REQUIRE(end != std::string::npos);
            const auto key = wildcert::crypto::PrivateKey::from_pem(opened.output.substr(
                begin, end + std::string_view("-----END PRIVATE KEY-----").size() - begin));
            REQUIRE(key.ok());
            CHECK(key->public_key_der() == chain.public_key_der);

            const auto refused = run("openssl pkcs12 -in '" + file.string() +
                                     "' -passin env:WILDCERT_TEST_P12_WRONG -nodes");
            CHECK(refused.status != 0);
            CHECK(refused.output.find("BEGIN PRIVATE KEY") == std::string::npos);
        }
        ::unsetenv("WILDCERT_TEST_P12_PASS");
        ::unsetenv("WILDCERT_TEST_P12_WRONG");
    }
}

TEST_SUITE("outputs: files") {

    TEST_CASE("pem-bundle is the key, then the leaf, then the intermediates") {
        const TestChain& chain = ec_chain();
        auto files = files_of(chain);
        const auto bundle = wildcert::core::output_content(
            output(OutputFormat::pem_bundle, "x.pem"), "example", files);
        REQUIRE(bundle.ok());
        CHECK(*bundle == chain.key_pem + chain.leaf_pem + chain.chain_pem);
        const auto key_at = bundle->find("-----BEGIN PRIVATE KEY-----");
        const auto leaf_at = bundle->find(chain.leaf_pem);
        const auto chain_at = bundle->find(chain.chain_pem);
        CHECK(key_at == 0);
        CHECK(leaf_at > key_at);
        CHECK(chain_at > leaf_at);

        // A PEM file without its final newline still gives one block per line.
        files.privkey_pem.pop_back();
        const auto joined = wildcert::core::output_content(
            output(OutputFormat::pem_bundle, "x.pem"), "example", files);
        REQUIRE(joined.ok());
        CHECK(*joined == chain.key_pem + chain.leaf_pem + chain.chain_pem);
    }

    TEST_CASE("der is the leaf certificate's DER alone") {
        const TestChain& chain = ec_chain();
        const auto der = wildcert::core::output_content(output(OutputFormat::der, "x.der"),
                                                        "example", files_of(chain));
        REQUIRE(der.ok());
        CHECK(Bytes(der->begin(), der->end()) == chain.leaf_der);
    }

    TEST_CASE("write_outputs writes each file with its mode and replaces old ones atomically") {
        const TempDir dir;
        const TestChain& chain = ec_chain();
        const fs::path p12 = dir.path() / "example.p12";
        const fs::path pem = dir.path() / "example.pem";
        const fs::path der = dir.path() / "example.der";
        // An older version with a wider mode: replaced, not rewritten in place.
        dir.write("example.pem", "old content");
        fs::permissions(pem, static_cast<fs::perms>(0666));

        const auto written = wildcert::core::write_outputs(
            certificate_with({output(OutputFormat::pkcs12, p12),
                              output(OutputFormat::pem_bundle, pem, static_cast<fs::perms>(0640)),
                              output(OutputFormat::der, der, static_cast<fs::perms>(0644))}),
            files_of(chain));
        REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().message));
        CHECK(*written == std::vector<fs::path>{p12, pem, der});

        CHECK((fs::status(p12).permissions() & fs::perms::mask) == static_cast<fs::perms>(0600));
        CHECK((fs::status(pem).permissions() & fs::perms::mask) == static_cast<fs::perms>(0640));
        CHECK((fs::status(der).permissions() & fs::perms::mask) == static_cast<fs::perms>(0644));
        CHECK(read_all(pem) == chain.key_pem + chain.leaf_pem + chain.chain_pem);
        const std::string der_content = read_all(der);
        CHECK(Bytes(der_content.begin(), der_content.end()) == chain.leaf_der);
        const std::string p12_content = read_all(p12);
        CHECK(mac_verifies(parse_pfx(Bytes(p12_content.begin(), p12_content.end())),
                           "Hunter2-files"));

        // Nothing else is left in the folder: no temporary files.
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir.path()))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        CHECK(names == std::vector<std::string>{"example.der", "example.p12", "example.pem"});
    }

    TEST_CASE("a write replaces the file through a rename, so readers never see half a file") {
        const TempDir dir;
        const fs::path der = dir.path() / "example.der";
        dir.write("example.der", "old content");
        // A reader that opened the old file keeps reading the old content: the new file is a
        // different inode, put in place by rename(2).
        std::ifstream reader(der, std::ios::binary);
        REQUIRE(reader.good());
        const auto written = wildcert::core::write_outputs(
            certificate_with({output(OutputFormat::der, der)}), files_of(ec_chain()));
        REQUIRE(written.ok());
        std::ostringstream old;
        old << reader.rdbuf();
        CHECK(old.str() == "old content");
        const std::string now = read_all(der);
        CHECK(Bytes(now.begin(), now.end()) == ec_chain().leaf_der);
    }

    TEST_CASE("failures name the output and its profile line, never the password or the key") {
        const TempDir dir;
        const TestChain& chain = ec_chain();
        const fs::path missing = dir.path() / "no-such-folder" / "example.p12";
        const auto result = wildcert::core::write_outputs(
            certificate_with({output(OutputFormat::der, dir.path() / "first.der"),
                              output(OutputFormat::pkcs12, missing)}),
            files_of(chain));
        REQUIRE_FALSE(result.ok());
        const std::string& message = result.error().message;
        INFO(message);
        CHECK(result.error().kind == wildcert::ErrorKind::io);
        CHECK(message.find("output " + missing.string() + " (profile.toml:12): ") == 0);
        CHECK(message.find("Hunter2") == std::string::npos);
        CHECK_FALSE(fs::exists(missing.parent_path())); // not created
        CHECK(fs::exists(dir.path() / "first.der"));    // the earlier output stays

        auto broken = files_of(chain);
        broken.privkey_pem = files_of(make_chain(wildcert::KeyType::ec_p256)).privkey_pem;
        const auto mismatch = wildcert::core::write_outputs(
            certificate_with({output(OutputFormat::pkcs12, dir.path() / "x.p12")}), broken);
        REQUIRE_FALSE(mismatch.ok());
        CHECK(mismatch.error().kind == wildcert::ErrorKind::crypto);
        CHECK(mismatch.error().message.find("Hunter2") == std::string::npos);
        CHECK(mismatch.error().message.find("PRIVATE KEY") == std::string::npos);
        CHECK_FALSE(fs::exists(dir.path() / "x.p12"));
    }

    TEST_CASE("a loaded profile's outputs are written where the profile says") {
        const TempDir dir;
        fs::create_directories(dir.path() / "out");
        const auto profile = load(dir, k_head + "[[certificate.output]]\n"
                                                "format = \"pkcs12\"\n"
                                                "path = \"out/example.p12\"\n"
                                                "password = \"${P12_PASSWORD}\"\n"
                                                "[[certificate.output]]\n"
                                                "format = \"der\"\n"
                                                "path = \"out/example.der\"\n"
                                                "mode = \"0644\"\n");
        REQUIRE(profile.ok());
        const auto written =
            wildcert::core::write_outputs(profile->certificates[0], files_of(ec_chain()));
        REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().message));
        const std::string p12 = read_all(dir.path() / "out/example.p12");
        CHECK(mac_verifies(parse_pfx(Bytes(p12.begin(), p12.end())), k_secret));
        CHECK((fs::status(dir.path() / "out/example.der").permissions() & fs::perms::mask) ==
              static_cast<fs::perms>(0644));
    }
}
