// Unit tests for the cloudflare provider.
#include <doctest/doctest.h>
