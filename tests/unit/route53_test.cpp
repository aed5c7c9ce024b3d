// Unit tests for the route53 provider.
#include <doctest/doctest.h>
