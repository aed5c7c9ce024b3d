#include "crypto/private_key.hpp"

#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "crypto/key_params.hpp"
#include "crypto/rsa_primes.hpp"

#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pk_keys.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>

#include <exception>
#include <utility>

namespace wildcert::crypto {

struct PrivateKey::Impl {
    std::unique_ptr<Botan::Private_Key> key;
    KeyType type;
};

namespace {

Error key_error(const std::string& what) {
    return make_error(ErrorKind::crypto, "private key: " + what);
}

Botan::BigInt to_bigint(std::span<const std::uint8_t> bytes) {
    return Botan::BigInt(bytes.data(), bytes.size());
}

std::string b64url_bigint(const Botan::BigInt& value, std::size_t width) {
    // width 0: minimal big-endian (RSA n and e, RFC 7518 §6.3.1); else left-padded (EC).
    const std::vector<std::uint8_t> bytes =
        width == 0 ? Botan::BigInt::encode(value)
                   : Botan::unlock(Botan::BigInt::encode_1363(value, width));
    return base64url_encode(std::span<const std::uint8_t>(bytes));
}

// Maps a loaded Botan key to the KeyType it is, refusing anything we would not generate.
Result<KeyType> classify(const Botan::Private_Key& key) {
    const std::string algo = key.algo_name();
    if (algo == "RSA") {
        const std::size_t bits = key.key_length();
        if (const auto type = rsa_key_type(bits))
            return *type;
        return key_error("RSA key of " + std::to_string(bits) +
                         " bits is not supported (use 2048, 3072 or 4096)");
    }
    if (algo == "ECDSA") {
        const auto* ec = dynamic_cast<const Botan::EC_PrivateKey*>(&key);
        if (ec == nullptr)
            return key_error("ECDSA key without EC parameters");
        for (const KeyType type : {KeyType::ec_p256, KeyType::ec_p384}) {
            if (ec->domain() == Botan::EC_Group(ec_params(type)->curve))
                return type;
        }
        return key_error("EC curve " + ec->domain().get_curve_oid().to_formatted_string() +
                         " is not supported (use P-256 or P-384)");
    }
    return key_error("key algorithm " + algo + " is not supported (use RSA or ECDSA)");
}

} // namespace

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::generate(KeyType type) {
    try {
        auto& rng = Botan::system_rng();
        std::unique_ptr<Botan::Private_Key> key;
        if (const auto ec = ec_params(type))
            key = std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group(ec->curve));
        else
            key = std::make_unique<Botan::RSA_PrivateKey>(rng, *rsa_bits(type));
        return PrivateKey(std::make_unique<Impl>(Impl{std::move(key), type}));
    } catch (const std::exception& e) {
        return key_error(std::string("generate ") + to_string(type) + ": " + e.what());
    }
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
    // Botan would only say it could not read a password; say what is actually wrong.
    if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos)
        return key_error("encrypted PKCS#8 keys are not supported; store the key unencrypted");
    try {
        Botan::DataSource_Memory source(reinterpret_cast<const std::uint8_t*>(pem.data()),
                                        pem.size());
        auto key = Botan::PKCS8::load_key(source);
        if (!key)
            return key_error("PKCS#8 PEM holds no key");
        WILDCERT_TRY(const KeyType type, classify(*key));
        return PrivateKey(std::make_unique<Impl>(Impl{std::move(key), type}));
    } catch (const std::exception& e) {
        return key_error(std::string("cannot read PKCS#8 PEM: ") + e.what());
    }
}

Result<PrivateKey> PrivateKey::from_rsa_components(std::span<const std::uint8_t> n,
                                                   std::span<const std::uint8_t> e,
                                                   std::span<const std::uint8_t> d) {
    WILDCERT_TRY(const RsaPrimes primes, recover_rsa_primes(n, e, d));
    try {
        auto key = std::make_unique<Botan::RSA_PrivateKey>(
            to_bigint(primes.p), to_bigint(primes.q), to_bigint(e), to_bigint(d), to_bigint(n));
        WILDCERT_TRY(const KeyType type, classify(*key));
        return PrivateKey(std::make_unique<Impl>(Impl{std::move(key), type}));
    } catch (const std::exception& ex) {
        return key_error(std::string("RSA components: ") + ex.what());
    }
}

Result<PrivateKey> PrivateKey::from_ec_scalar(KeyType type, std::span<const std::uint8_t> d) {
    const auto ec = ec_params(type);
    if (!ec)
        return key_error(std::string("from_ec_scalar needs an EC key type, not ") +
                         to_string(type));
    try {
        const Botan::EC_Group group(ec->curve);
        const Botan::BigInt scalar = to_bigint(d);
        if (scalar < 1 || scalar >= group.get_order())
            return key_error(std::string("EC scalar out of range for ") + ec->jwk_crv);
        auto key = std::make_unique<Botan::ECDSA_PrivateKey>(Botan::system_rng(), group, scalar);
        return PrivateKey(std::make_unique<Impl>(Impl{std::move(key), type}));
    } catch (const std::exception& e) {
        return key_error(std::string("EC scalar: ") + e.what());
    }
}

KeyType PrivateKey::type() const {
    return m_impl->type;
}

std::string PrivateKey::to_pem() const {
    return Botan::PKCS8::PEM_encode(*m_impl->key);
}

std::string PrivateKey::jws_algorithm() const {
    if (const auto ec = ec_params(m_impl->type))
        return ec->jws_alg;
    return "RS256"; // RFC 7518 §3.3
}

std::string PrivateKey::public_jwk_json() const {
    // Members in lexicographic order, no whitespace (RFC 7638 §3.2, §3.3).
    if (const auto ec = ec_params(m_impl->type)) {
        const auto& key = dynamic_cast<const Botan::EC_PublicKey&>(*m_impl->key);
        const Botan::PointGFp& point = key.public_point();
        return std::string(R"({"crv":")") + ec->jwk_crv + R"(","kty":"EC","x":")" +
               b64url_bigint(point.get_affine_x(), ec->coord_bytes) + R"(","y":")" +
               b64url_bigint(point.get_affine_y(), ec->coord_bytes) + R"("})";
    }
    const auto& key = dynamic_cast<const Botan::RSA_PublicKey&>(*m_impl->key);
    return R"({"e":")" + b64url_bigint(key.get_e(), 0) + R"(","kty":"RSA","n":")" +
           b64url_bigint(key.get_n(), 0) + R"("})";
}

std::string PrivateKey::thumbprint() const {
    const auto digest = sha256(public_jwk_json());
    return base64url_encode(std::span<const std::uint8_t>(digest));
}

Result<std::vector<std::uint8_t>> PrivateKey::sign(std::string_view signing_input) const {
    try {
        auto& rng = Botan::system_rng();
        const auto ec = ec_params(m_impl->type);
        // IEEE 1363 format is the raw fixed-length R||S that JWS requires (RFC 7518 §3.4);
        // it is ignored for RSA. RSA uses PKCS#1 v1.5 with SHA-256 (RFC 7518 §3.3).
        Botan::PK_Signer signer(*m_impl->key, rng, ec ? ec->emsa : "EMSA3(SHA-256)",
                                Botan::IEEE_1363);
        return signer.sign_message(reinterpret_cast<const std::uint8_t*>(signing_input.data()),
                                   signing_input.size(), rng);
    } catch (const std::exception& e) {
        return key_error(std::string("sign: ") + e.what());
    }
}

std::vector<std::uint8_t> PrivateKey::public_key_der() const {
    return Botan::X509::BER_encode(*m_impl->key);
}

} // namespace wildcert::crypto
