// OpenSSL's libcrypto from the system (Debian: libssl-dev), for SHA-256 only.
#include <openssl/evp.h>
