// Unit tests for accounts: External Account Binding (RFC 8555 §7.3.4), the lenient MAC-key
// decoder, revocation reason names (RFC 5280 §5.3.1), known CA directories, and how the state
// directory keys, rolls over and retires accounts.
#include "acme/eab.hpp"
#include "config/known_directories.hpp"
#include "config/redacted.hpp"
#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "store/stable_id.hpp"
#include "store/state_dir.hpp"
#include "json/json.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/revocation.hpp>

#include <doctest/doctest.h>

#include "error_text.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace wildcert;

using wildcert::test::without_column;

namespace {

// RFC 7515 A.1's HMAC key, and the public JWK of RFC 7515 A.3's EC key (RFC 7638 order).
constexpr std::string_view k_a1_key =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
constexpr std::string_view k_a3_jwk =
    R"({"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
constexpr std::string_view k_new_account = "https://ca.test/acme/new-account";

std::string decode_text(std::string_view b64url) {
    const auto bytes = crypto::base64url_decode(b64url);
    REQUIRE(bytes.ok());
    return {bytes->begin(), bytes->end()};
}

class Scratch {
public:
    Scratch() {
        static std::atomic<int> counter{0};
        m_path =
            fs::temp_directory_path() / ("wildcert-accounts-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    [[nodiscard]] const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

unsigned mode_of(const fs::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A profile with [acme.eab] holding `eab_lines`; [acme.eab] is on line 5.
Result<Profile> load_with_eab(const Scratch& scratch, const std::string& eab_lines) {
    const auto path = scratch.path() / "p.toml";
    std::ofstream(path) << "[acme]\n"                  // 1
                           "directory = \"zerossl\"\n" // 2
                           "[dns]\n"                   // 3
                           "provider = \"rfc2136\"\n"  // 4
                           "[acme.eab]\n"              // 5
                        << eab_lines
                        << "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
    return load_profile(path);
}

} // namespace

TEST_SUITE("accounts") {
    TEST_CASE("[acme.eab] loads key_id, hmac_key and algorithm; the key is never shown") {
        const Scratch scratch;
        const auto profile = load_with_eab(
            scratch,
            "key_id = \"kid-1\"\nhmac_key = \"IHxxLDCyqY7RTx9lz6ZMqD94rlBzw-znmVAis6OaiJQ=\"\n"
            "algorithm = \"HS512\"\n");
        REQUIRE(profile.ok());
        CHECK(profile->acme.directory_url == "https://acme.zerossl.com/v2/DV90");
        REQUIRE(profile->acme.eab.has_value());
        CHECK(profile->acme.eab->key_id == "kid-1");
        CHECK(profile->acme.eab->hmac_key == "IHxxLDCyqY7RTx9lz6ZMqD94rlBzw-znmVAis6OaiJQ=");
        CHECK(profile->acme.eab->algorithm == EabAlgorithm::hs512);
        const auto text = config::describe_profile(*profile, [](auto, auto) { return false; });
        CHECK(text.find("IHxxLDCyqY7RTx9lz6ZMqD94rlBzw") == std::string::npos);
        CHECK(text.find("key_id = \"kid-1\"") != std::string::npos);
        CHECK(text.find("algorithm = \"HS512\"") != std::string::npos);
    }

    TEST_CASE("[acme.eab] hmac_key_file is read relative to the profile") {
        const Scratch scratch;
        std::ofstream(scratch.path() / "eab.key") << "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ\n";
        const auto profile =
            load_with_eab(scratch, "key_id = \"kid-1\"\nhmac_key_file = \"eab.key\"\n");
        REQUIRE(profile.ok());
        CHECK(profile->acme.eab->algorithm == EabAlgorithm::hs256);
        CHECK(acme::decode_mac_key(profile->acme.eab->hmac_key).ok());
    }

    TEST_CASE("[acme.eab] errors name file:line:key and never the key") {
        const Scratch scratch;
        const auto error_of = [&](const std::string& lines) {
            const auto profile = load_with_eab(scratch, lines);
            REQUIRE_FALSE(profile.ok());
            CHECK(profile.error().kind == ErrorKind::profile);
            return without_column(profile.error().message);
        };
        CHECK(error_of("key_id = \"k\"\nhmac_key = \"sec*ret!\"\n")
                  .find("p.toml:7: acme.eab.hmac_key: not a base64url or base64 MAC key") !=
              std::string::npos);
        CHECK(error_of("key_id = \"k\"\nhmac_key = \"sec*ret!\"\n").find("sec*ret") ==
              std::string::npos);
        CHECK(error_of("hmac_key = \"abcd\"\n").find("acme.eab: missing required key 'key_id'") !=
              std::string::npos);
        CHECK(error_of("key_id = \"k\"\n").find("acme.eab.hmac_key: missing") != std::string::npos);
        CHECK(error_of("key_id = \"k\"\nhmac_key = \"abcd\"\nhmac_key_file = \"x\"\n")
                  .find("p.toml:8: acme.eab.hmac_key_file: both") != std::string::npos);
        CHECK(error_of("key_id = \"k\"\nhmac_key = \"abcd\"\nalgorithm = \"RS256\"\n")
                  .find("p.toml:8: acme.eab.algorithm: 'RS256' is not a MAC algorithm") !=
              std::string::npos);
        CHECK(error_of("key_id = \"k\"\nhmac_key = \"abcd\"\nmac = 1\n")
                  .find("p.toml:8: acme.eab.mac: unknown key") != std::string::npos);
        CHECK(error_of("key_id = \"k y\"\nhmac_key = \"abcd\"\n")
                  .find("acme.eab.key_id: must be printable ASCII") != std::string::npos);
    }

    TEST_CASE("an unknown bare CA name is a profile error listing the known ones") {
        const Scratch scratch;
        const auto path = scratch.path() / "p.toml";
        std::ofstream(path) << "[acme]\ndirectory = \"sectigo\"\n[dns]\nprovider = \"x\"\n"
                               "[[certificate]]\nname = \"a\"\ndomains = [\"a.example\"]\n";
        const auto profile = load_profile(path);
        REQUIRE_FALSE(profile.ok());
        CHECK(without_column(profile.error().message).find("p.toml:2: acme.directory: 'sectigo'") !=
              std::string::npos);
        for (const auto& entry : config::k_known_directories)
            CHECK(profile.error().message.find(std::string(entry.name)) != std::string::npos);
    }

    TEST_CASE("EAB JWS: protected header, payload and HS256 MAC (known answer)") {
        const auto key = acme::decode_mac_key(k_a1_key);
        REQUIRE(key.ok());
        const auto jws = acme::sign_external_account_binding(EabAlgorithm::hs256, "kid-1", *key,
                                                             k_a3_jwk, k_new_account);
        const auto document = json::Document::parse(jws);
        REQUIRE(document.ok());
        const auto root = document->root();
        const auto protected_b64 = root.string_member("protected").value_or("");
        const auto payload_b64 = root.string_member("payload").value_or("");
        const auto signature = root.string_member("signature").value_or("");

        // §7.3.4: alg is a MAC algorithm, kid the CA's key id, url the newAccount URL, and no
        // nonce; the payload is the account's JWK.
        const auto header = json::Document::parse(decode_text(protected_b64));
        REQUIRE(header.ok());
        CHECK(header->root().string_member("alg") == "HS256");
        CHECK(header->root().string_member("kid") == "kid-1");
        CHECK(header->root().string_member("url") == std::string(k_new_account));
        CHECK_FALSE(header->root().member("nonce").has_value());
        CHECK_FALSE(header->root().member("jwk").has_value());
        CHECK(decode_text(payload_b64) == k_a3_jwk);

        // The MAC verifies with the key over "protected.payload"...
        const auto expected =
            crypto::hmac(crypto::HmacHash::sha256, *key, protected_b64 + "." + payload_b64);
        CHECK(signature == crypto::base64url_encode(expected));
        // ...and equals a value computed independently (Python hmac) for these exact inputs.
        CHECK(signature == "6NKAdtgKXUwi3nw6A60Qrp05iUv0QoeIQWjmFGu1iRQ");
    }

    TEST_CASE("EAB JWS: HS512 and HS384 use their hash") {
        const auto key = acme::decode_mac_key(k_a1_key);
        REQUIRE(key.ok());
        const auto hs512 = json::Document::parse(acme::sign_external_account_binding(
            EabAlgorithm::hs512, "kid-1", *key, k_a3_jwk, k_new_account));
        REQUIRE(hs512.ok());
        CHECK(hs512->root().string_member("signature") ==
              "511Wa8xKTZAWSwsgNDeYilivReMyPsrSOScKIALpZzHYWNuOkG00POlUmpd78F4Nu6m2OfDzhi52xw6I2U6Q"
              "dg");
        const auto hs384 = json::Document::parse(acme::sign_external_account_binding(
            EabAlgorithm::hs384, "kid-1", *key, k_a3_jwk, k_new_account));
        REQUIRE(hs384.ok());
        const auto header = decode_text(hs384->root().string_member("protected").value_or(""));
        CHECK(header.find(R"("alg":"HS384")") != std::string::npos);
        CHECK(decode_text(hs384->root().string_member("signature").value_or("")).size() == 48);
    }

    TEST_CASE("MAC key decoder: padded, unpadded and standard base64 give the same bytes") {
        const auto unpadded = acme::decode_mac_key(k_a1_key);
        REQUIRE(unpadded.ok());
        CHECK(unpadded->size() == 64);
        const auto padded = acme::decode_mac_key(std::string(k_a1_key) + "==");
        REQUIRE(padded.ok());
        CHECK(*padded == *unpadded);
        // The same key in the standard alphabet ('+' and '/'), padded, with a trailing newline.
        const auto standard =
            acme::decode_mac_key("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ+EstJQLr/"
                                 "T+1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow==\n");
        REQUIRE(standard.ok());
        CHECK(*standard == *unpadded);
        // Actalis-style: 32 bytes, base64url with one '='.
        const auto actalis = acme::decode_mac_key("IHxxLDCyqY7RTx9lz6ZMqD94rlBzw-znmVAis6OaiJQ=");
        REQUIRE(actalis.ok());
        CHECK(actalis->size() == 32);
    }

    TEST_CASE("MAC key decoder: garbage is an error that does not echo the key") {
        for (const std::string bad : {"not*base64!", "abcde", "ab=cd", "abc===", "", "   "}) {
            INFO("input: '" << bad << "'");
            const auto decoded = acme::decode_mac_key(bad);
            REQUIRE_FALSE(decoded.ok());
            if (bad.size() > 3)
                CHECK(decoded.error().message.find(bad) == std::string::npos);
        }
    }

    TEST_CASE("revocation reasons: RFC 5280 names and codes, 7 unused") {
        CHECK(revocation_reason_names().size() == 10);
        CHECK(static_cast<int>(*parse_revocation_reason("unspecified")) == 0);
        CHECK(static_cast<int>(*parse_revocation_reason("keyCompromise")) == 1);
        CHECK(static_cast<int>(*parse_revocation_reason("cACompromise")) == 2);
        CHECK(static_cast<int>(*parse_revocation_reason("affiliationChanged")) == 3);
        CHECK(static_cast<int>(*parse_revocation_reason("superseded")) == 4);
        CHECK(static_cast<int>(*parse_revocation_reason("cessationOfOperation")) == 5);
        CHECK(static_cast<int>(*parse_revocation_reason("certificateHold")) == 6);
        CHECK(static_cast<int>(*parse_revocation_reason("removeFromCRL")) == 8);
        CHECK(static_cast<int>(*parse_revocation_reason("privilegeWithdrawn")) == 9);
        CHECK(static_cast<int>(*parse_revocation_reason("aACompromise")) == 10);
        for (const auto name : revocation_reason_names())
            CHECK(to_string(*parse_revocation_reason(name)) == name);
        CHECK_FALSE(parse_revocation_reason("keycompromise").has_value());
        CHECK_FALSE(parse_revocation_reason("7").has_value());
        CHECK_FALSE(parse_revocation_reason("").has_value());
    }

    TEST_CASE("known CA directory names") {
        CHECK(config::known_directory_url("letsencrypt") ==
              "https://acme-v02.api.letsencrypt.org/directory");
        CHECK(config::known_directory_url("letsencrypt-staging") ==
              "https://acme-staging-v02.api.letsencrypt.org/directory");
        CHECK(config::known_directory_url("zerossl") == "https://acme.zerossl.com/v2/DV90");
        CHECK(config::known_directory_url("google") ==
              "https://dv.acme-v02.api.pki.goog/directory");
        CHECK(config::known_directory_url("google-staging") ==
              "https://dv.acme-v02.test-api.pki.goog/directory");
        CHECK(config::known_directory_url("buypass") == "https://api.buypass.com/acme/directory");
        CHECK(config::known_directory_url("buypass-staging") ==
              "https://api.test4.buypass.no/acme/directory");
        CHECK(config::known_directory_url("actalis") ==
              "https://acme-api.actalis.com/acme/directory");
        CHECK_FALSE(config::known_directory_url("LetsEncrypt").has_value());
        CHECK_FALSE(config::known_directory_url("https://acme.zerossl.com/v2/DV90").has_value());
        for (const auto& entry : config::k_known_directories)
            CHECK(entry.url.substr(0, 8) == "https://");
    }

    TEST_CASE("account folders are keyed by directory URL and EAB key id") {
        const std::string ca = "https://ca.test/directory";
        // Without a key id: the folder name from before EAB existed.
        CHECK(store::account_id(ca, "") == store::directory_id(ca));
        CHECK(store::account_id(ca, "kid-1") != store::account_id(ca, "kid-2"));
        CHECK(store::account_id(ca, "kid-1").rfind(store::directory_id(ca) + "-eab-", 0) == 0);
        CHECK(store::account_id(ca, "kid-1") !=
              store::account_id("https://ca.test/other", "kid-1"));

        const Scratch scratch;
        const auto state = store::StateDir::open(scratch.path() / "state");
        REQUIRE(state.ok());
        REQUIRE(state->save_account(ca, {"PLAIN", "https://ca.test/acct/1"}).ok());
        REQUIRE(state->save_account(ca, {"BOUND", "https://ca.test/acct/2"}, "kid-1").ok());
        CHECK((*state->load_account(ca))->key_pem == "PLAIN");
        CHECK((*state->load_account(ca, "kid-1"))->key_pem == "BOUND");
        CHECK_FALSE(state->load_account(ca, "kid-2")->has_value());
        CHECK(slurp(state->account_dir(ca, "kid-1") / "account.txt").find("eab_key_id=kid-1\n") !=
              std::string::npos);

        // A folder recording another key id is refused rather than used.
        std::ofstream(state->account_dir(ca, "kid-1") / "account.txt")
            << "directory=" << ca << "\nurl=u\neab_key_id=kid-9\n";
        const auto mismatch = state->load_account(ca, "kid-1");
        REQUIRE_FALSE(mismatch.ok());
        CHECK(mismatch.error().message.find("kid-9") != std::string::npos);
    }

    TEST_CASE("key rollover in the store: next key, commit with a 0600 backup, drop") {
        const Scratch scratch;
        const auto state = store::StateDir::open(scratch.path() / "state");
        REQUIRE(state.ok());
        const std::string ca = "https://ca.test/directory";
        REQUIRE(state->save_account(ca, {"KEY-1", "https://ca.test/acct/1"}).ok());
        const auto dir = state->account_dir(ca);

        REQUIRE(state->save_next_account_key(ca, "", "KEY-X").ok());
        state->drop_next_account_key(ca, "");
        CHECK_FALSE(fs::exists(dir / "account.key.next"));
        CHECK((*state->load_account(ca))->key_pem == "KEY-1");

        REQUIRE(state->save_next_account_key(ca, "", "KEY-2").ok());
        CHECK(mode_of(dir / "account.key.next") == 0600);
        REQUIRE(state->commit_next_account_key(ca, "").ok());
        CHECK((*state->load_account(ca))->key_pem == "KEY-2");
        CHECK((*state->load_account(ca))->url == "https://ca.test/acct/1");
        CHECK(slurp(dir / "previous-1.key") == "KEY-1");
        CHECK(mode_of(dir / "previous-1.key") == 0600);
        CHECK(mode_of(dir / "account.key") == 0600);
        CHECK_FALSE(fs::exists(dir / "account.key.next"));

        REQUIRE(state->save_next_account_key(ca, "", "KEY-3").ok());
        REQUIRE(state->commit_next_account_key(ca, "").ok());
        CHECK(slurp(dir / "previous-2.key") == "KEY-2");
    }

    TEST_CASE("retiring an account moves it aside so the next run starts fresh") {
        const Scratch scratch;
        const auto state = store::StateDir::open(scratch.path() / "state");
        REQUIRE(state.ok());
        const std::string ca = "https://ca.test/directory";
        REQUIRE(state->save_account(ca, {"KEY-1", "https://ca.test/acct/1"}, "kid").ok());
        const auto first = state->retire_account(ca, "kid");
        REQUIRE(first.ok());
        CHECK(slurp(*first / "account.key") == "KEY-1");
        CHECK(first->parent_path().filename() == "retired-accounts");
        CHECK_FALSE(state->load_account(ca, "kid")->has_value());

        REQUIRE(state->save_account(ca, {"KEY-2", "https://ca.test/acct/2"}, "kid").ok());
        const auto second = state->retire_account(ca, "kid");
        REQUIRE(second.ok());
        CHECK(*second != *first);
        CHECK(slurp(*second / "account.key") == "KEY-2");
        CHECK_FALSE(state->retire_account(ca, "kid").ok()); // nothing left to retire
    }
}
