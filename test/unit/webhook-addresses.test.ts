import { nonPublicRange, pinnedLookup } from "../../src/webhooks/endpointAddress";
import { retryDelayMs } from "../../src/webhooks/deliveryWorker";

test.each([
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["10.1.2.3", "private"],
  ["172.16.0.1", "private"],
  ["192.168.0.1", "private"],
  ["169.254.169.254", "linkLocal"],
  ["100.64.0.1", "carrierGradeNat"],
  ["0.0.0.0", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["::1", "loopback"],
  ["::", "unspecified"],
  ["fe80::1", "linkLocal"],
  ["fd00::1", "uniqueLocal"],
  ["ff02::1", "multicast"],
  // IPv4-mapped IPv6 is judged by the IPv4 address it carries.
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:a9fe:a9fe", "linkLocal"],
  // Prefixes that can wrap a private IPv4 address.
  ["64:ff9b::7f00:1", "rfc6052"],
  ["2002:7f00:1::", "6to4"],
])("%s is not public (%s)", (address, range) => {
  expect(nonPublicRange(address)).toBe(range);
});

test.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
  expect(nonPublicRange(address)).toBeNull();
});

test("the pinned lookup answers with the checked address in both of Node's call shapes", () => {
  const lookup = pinnedLookup({ address: "93.184.216.34", family: 4 });
  const one = jest.fn();
  lookup("example.com", {}, one);
  expect(one).toHaveBeenCalledWith(null, "93.184.216.34", 4);
  const all = jest.fn();
  lookup("example.com", { all: true }, all);
  expect(all).toHaveBeenCalledWith(null, [{ address: "93.184.216.34", family: 4 }]);
});

test("retries back off exponentially from the base, at most an hour apart", () => {
  expect([1, 2, 3, 4].map((n) => retryDelayMs(5000, n))).toEqual([5000, 10_000, 20_000, 40_000]);
  expect(retryDelayMs(5000, 12)).toBe(3_600_000);
  expect(retryDelayMs(5000, 500)).toBe(3_600_000);
});
