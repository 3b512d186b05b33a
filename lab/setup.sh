#!/bin/sh
# Ward lab setup: installs, from Debian, the real programs the lab runs. Idempotent: installs only
# what is missing. Non-interactive; run as root (CI calls it from .ci/run).
#
#   dcmtk             storescp/dcmqrscp (PACS), storescu/echoscu/findscu (modalities, attacks)
#   python3-pydicom   pydicom's real DICOM test files, sent by the modalities
#   tcpdump           the capture on the lab bridge
#   dnsmasq-base      DHCP server and DNS resolver (the binary only: no system service)
#   samba smbclient   file server and its clinical-workstation clients, ransomware/lateral movement
#   openssh-server openssh-client   SSH administration (and the target of the brute force)
#   nmap hydra        port scan / ping sweep, SSH brute force
#   curl              FHIR clients, exfiltration, HTTPS beaconing
#   iproute2          ip netns / veth / bridge
#   ethtool           switches segmentation offloads off, so the capture holds wire-size frames
#   bind9-dnsutils    dig (DNS lookups, DNS beaconing)
#   busybox           udhcpc, the DHCP client (hostname, vendor class, option 55 per device)
#   openssl           the beacon server's self-signed certificate
#   procps            sysctl (IP forwarding, IPv6 off inside the namespaces)
set -eu

PACKAGES="dcmtk python3-pydicom tcpdump dnsmasq-base samba smbclient openssh-server openssh-client nmap hydra \
curl iproute2 ethtool bind9-dnsutils busybox openssl procps"

if [ "$(id -u)" -ne 0 ]; then
  echo "lab/setup.sh: must run as root" >&2
  exit 1
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "lab/setup.sh: all lab packages present"
  exit 0
fi

echo "lab/setup.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# The lab starts its own daemons inside network namespaces: keep the packages' system services
# (sshd, smbd, nmbd) from starting on the host while they install.
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT INT TERM
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
echo "lab/setup.sh: done"
