/** Who is who on the local Direct Line channel. */
export const CHANNEL_ID = 'directline';

/** The bot as the channel names it: the recipient of user activities, the sender of replies. */
export function botAccount(): { id: string; name: string; role: string } {
  return { id: 'tribe-bot', name: 'Tribe', role: 'bot' };
}
